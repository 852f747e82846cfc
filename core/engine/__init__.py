"""The hypervisor and partition engine: KVM and emulation backends, partitions, memory, vCPUs and devices."""

from core.model.states import TransitionError, VmState

from .elfimage import ImageError, load_image, parse_image
from .errors import BackendUnavailable, GuestFault
from .hypervisor import Hypervisor
from .partition import Partition, PartitionConfig
from .savestate import SavedStateError

__all__ = ["BackendUnavailable", "GuestFault", "Hypervisor", "ImageError", "Partition", "PartitionConfig",
           "SavedStateError", "TransitionError", "VmState", "load_image", "parse_image"]
