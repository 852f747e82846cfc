"""The Convert Virtual Machine wizard (V2V), one module per page (source, identity, report, host, path, networks,
summary), what they share (common.py: the dry run, Browse <host>, the report's words) and the wizard (wizard.py)."""

from __future__ import annotations

from .host import ConvertHostPage
from .identity import ConvertIdentityPage
from .networks import ConvertNetworksPage
from .path import ConvertPathPage
from .report import ConvertReportPage
from .source import ConvertSourcePage
from .summary import ConvertSummaryPage
from .wizard import ConvertWizard

__all__ = ["ConvertHostPage", "ConvertIdentityPage", "ConvertNetworksPage", "ConvertPathPage", "ConvertReportPage",
           "ConvertSourcePage", "ConvertSummaryPage", "ConvertWizard"]
