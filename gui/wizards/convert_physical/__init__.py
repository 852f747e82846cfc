"""The Convert Physical Server wizard (P2V), one module per page (source, system, volumes, config, summary; Select
Host, Path and Networks are the Convert Virtual Machine wizard's) and the wizard (wizard.py)."""

from __future__ import annotations

from .config import PhysicalConfigPage
from .source import PhysicalSourcePage
from .summary import PhysicalSummaryPage
from .system import PhysicalSystemPage
from .volumes import PhysicalVolumesPage
from .wizard import ConvertPhysicalWizard

__all__ = ["ConvertPhysicalWizard", "PhysicalConfigPage", "PhysicalSourcePage", "PhysicalSummaryPage",
           "PhysicalSystemPage", "PhysicalVolumesPage"]
