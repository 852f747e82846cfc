"""The Import Virtual Machine wizard (Hyper-V's Import Virtual Machine), one module per page (locate.py: Locate
Folder, select.py: Select Virtual Machine, import_type.py: Choose Import Type, summary.py: Summary), what they share
(common.py) and the wizard (wizard.py, with ``open_wizard`` for the main window's action)."""

from __future__ import annotations

from .import_type import ImportTypePage
from .locate import LocateFolderPage
from .select import SelectVmPage
from .summary import ImportSummaryPage
from .wizard import ImportWizard, open_wizard

__all__ = ["ImportSummaryPage", "ImportTypePage", "ImportWizard", "LocateFolderPage", "SelectVmPage", "open_wizard"]
