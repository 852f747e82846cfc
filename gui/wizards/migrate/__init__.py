"""The Migrate Virtual Machine wizard, one module per page (select_host, precheck, transfer, paths, summary), its
Customize Ratings dialog (ratings.py), the rating column's stars (stars.py), View Script of a move (script.py), the
wizard (wizard.py), and its place in the console (console.py: opening it and the migration view; dragdrop.py: a VM
dropped on another host)."""

from __future__ import annotations

from .console import open_view, open_wizard, show_job
from .dragdrop import install as install_drops
from .paths import PathsPage
from .precheck import PrecheckPage
from .select_host import SelectHostPage
from .summary import SummaryPage
from .transfer import TransferPage
from .wizard import MigrateWizard

__all__ = ["MigrateWizard", "PathsPage", "PrecheckPage", "SelectHostPage", "SummaryPage", "TransferPage",
           "install_drops", "open_view", "open_wizard", "show_job"]
