"""Which chapter of the guide (and which heading in it) F1 opens for each pane of the main window and each wizard
page. A topic is ``file.md`` or ``file.md#anchor``; an anchor is the heading's text the way GitHub makes it
(``gui.help.window.slug``). tests/gui/test_help.py checks that every topic here names a heading of the guide."""

from __future__ import annotations

# the chapters in the contents' order (each titled by its first heading)
CHAPTERS = ("index.md", "first-vm.md", "health.md", "migration.md", "checkpoints.md", "conversion.md",
            "remote-hosts.md", "command-line.md")

# the main window's panes, by object name (the focus widget or one of its parents)
PANES = {
    "vm_table": "first-vm.md#the-main-window",
    "search": "first-vm.md#the-main-window",
    "empty_state": "first-vm.md",
    "navigation": "remote-hosts.md#the-navigation-tree",
    "actions_pane": "first-vm.md#the-main-window",
    "details": "health.md#details",
    "performance_view": "health.md#performance-graphs",
    "performance_window": "health.md#performance-graphs",
    "checkpoints_pane": "checkpoints.md",
    "alerts_pane": "health.md#alerts",
    "alert_rules_dialog": "health.md#alert-rules",
    "jobs_dock": "health.md#jobs",
    "add_connection_dialog": "remote-hosts.md#adding-a-host",
    "switch_manager": "first-vm.md#virtual-switches",
}

# each wizard's own chapter (for a page the table below does not name)
WIZARDS = {
    "new_vm_wizard": "first-vm.md#the-new-virtual-machine-wizard",
    "migrate_wizard": "migration.md#the-migrate-virtual-machine-wizard",
    "convert_wizard": "conversion.md#converting-a-virtual-machine",
    "convert_physical_wizard": "conversion.md#converting-a-physical-server",
    "import_wizard": "checkpoints.md#export-and-import",
}

# "<wizard object name>/<page class name>": the page's heading
WIZARD_PAGES = {
    "new_vm_wizard/NamePage": "first-vm.md#name-and-location",
    "new_vm_wizard/MemoryPage": "first-vm.md#memory",
    "new_vm_wizard/ProcessorsPage": "first-vm.md#processors",
    "new_vm_wizard/NetworkPage": "first-vm.md#networking",
    "new_vm_wizard/DiskPage": "first-vm.md#virtual-hard-disk",
    "new_vm_wizard/InstallPage": "first-vm.md#installation-options",
    "new_vm_wizard/SummaryPage": "first-vm.md#summary-and-view-script",
    "migrate_wizard/SelectHostPage": "migration.md#select-host",
    "migrate_wizard/PrecheckPage": "migration.md#precheck",
    "migrate_wizard/TransferPage": "migration.md#transfer",
    "migrate_wizard/PathsPage": "migration.md#path-and-networks",
    "migrate_wizard/SummaryPage": "migration.md#summary-and-prediction",
    "convert_wizard/ConvertSourcePage": "conversion.md#select-source",
    "convert_wizard/ConvertReportPage": "conversion.md#conversion-report",
    "convert_wizard/ConvertIdentityPage": "conversion.md#vm-identity",
    "convert_wizard/ConvertHostPage": "conversion.md#select-host",
    "convert_wizard/ConvertPathPage": "conversion.md#select-path",
    "convert_wizard/ConvertNetworksPage": "conversion.md#select-networks",
    "convert_wizard/ConvertSummaryPage": "conversion.md#summary",
    "convert_physical_wizard/PhysicalSourcePage": "conversion.md#converting-a-physical-server",
    "convert_physical_wizard/PhysicalSystemPage": "conversion.md#system-information",
    "convert_physical_wizard/PhysicalVolumesPage": "conversion.md#volume-configuration",
    "convert_physical_wizard/PhysicalConfigPage": "conversion.md#vm-configuration",
    "convert_physical_wizard/ConvertHostPage": "conversion.md#select-host",
    "convert_physical_wizard/ConvertPathPage": "conversion.md#select-path",
    "convert_physical_wizard/ConvertNetworksPage": "conversion.md#select-networks",
    "convert_physical_wizard/PhysicalSummaryPage": "conversion.md#summary",
}
