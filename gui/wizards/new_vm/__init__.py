"""The New Virtual Machine wizard, one module per page (name, memory, processors, networking, disk, installation,
summary), the host facts the pages decide from (host.py) and the wizard itself (wizard.py)."""

from __future__ import annotations

from . import host
from .disk import DiskPage
from .host import HostFacts
from .installation import InstallPage
from .memory import MemoryPage
from .name import NamePage
from .networking import NetworkPage
from .processors import ProcessorsPage
from .summary import SummaryPage
from .wizard import NewVmWizard, create_with_disk

__all__ = ["DiskPage", "HostFacts", "InstallPage", "MemoryPage", "NamePage", "NetworkPage", "NewVmWizard",
           "ProcessorsPage", "SummaryPage", "create_with_disk", "host"]
