"""The hypervisor and partition engine: KVM and emulation backends, partitions, memory, vCPUs and devices."""

from .elfimage import ImageError, load_image, parse_image
from .errors import BackendUnavailable, GuestFault
from .hypervisor import Hypervisor
from .partition import Partition, PartitionConfig
from .states import TransitionError, VmState

__all__ = ["BackendUnavailable", "GuestFault", "Hypervisor", "ImageError", "Partition", "PartitionConfig",
           "TransitionError", "VmState", "load_image", "parse_image"]
