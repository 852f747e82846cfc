"""Select Source: the VM's description (a .vmx, .ovf, .ova, .vbox, libvirt or Hyper-V XML) or its folder, a path on
the host that converts it; Browse... lists that host's folders. A moment after each edit the host reads it (a dry
run: nothing is written) and the page shows what was recognised, or the host's one-line refusal."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLineEdit

from gui.widgets.builders import facts_table, push_button, rich_label
from gui.widgets.named import named

from .common import DryRun, Page, browse_on


class ConvertSourcePage(Page):
    """The VM to convert: ``source()``, a path on the host that converts it; ``answer()``, what that host read
    there (the dry run's {source, plan, report, ok}), None until it has read it."""

    def __init__(self, wizard) -> None:
        super().__init__(wizard, self.tr("Select Source"),
                         self.tr("Choose the virtual machine to convert: its description file (.vmx, .ovf, .ova, "
                                 ".vbox, libvirt or Hyper-V .xml) or the folder holding it, on the host."))
        self.path = named(QLineEdit(), "source_path", self.tr("Source"))
        self.path.setPlaceholderText(self.tr("/path/on/the/host/vm.vmx"))
        self.browse = push_button(self.tr("&Browse..."), "browse_source", self._browse_file)
        self.browse_folder = push_button(self.tr("&Folder..."), "browse_source_folder", self._browse_folder,
                                         self.tr("Choose the folder holding the virtual machine's description"))
        line = QHBoxLayout()
        line.addWidget(self.path, 1)
        line.addWidget(self.browse)
        line.addWidget(self.browse_folder)
        layout = self.field_form((self.tr("&Source:"), line, self.path))
        self.recognised = rich_label("recognised", self.tr("What was recognised"))
        layout.addRow("", self.recognised)
        self.check = DryRun(self, self._wanted, self.changed)
        self.path.textChanged.connect(self._edited)
        self.host_browser = None
        self.path.setWhatsThis(self.tr("The path on the host of the virtual machine's description: a VMware .vmx, an "
                                       "OVF or OVA, a VirtualBox .vbox, a libvirt domain XML or a Hyper-V export. It "
                                       "is read as you type; nothing is written until Finish (bulkhead convert vm "
                                       "SOURCE --dry-run)."))

    def initializePage(self) -> None:
        able, why = self.wiz.session.can("browse")
        for button in (self.browse, self.browse_folder):
            button.setEnabled(able)
            if not able:
                button.setToolTip(self.tr("Browse: {why}").format(why=why))
        self.changed()

    def _wanted(self):
        source = self.path.text().strip()
        return (self.wiz.session, {"source": source}) if source else None

    def _edited(self, *_args) -> None:
        self.check.schedule()
        self.changed()

    def _browse_file(self) -> None:
        browse_on(self, self.wiz.session, self.path.setText, start=self.path.text())

    def _browse_folder(self) -> None:
        browse_on(self, self.wiz.session, self.path.setText, folders=True, start=self.path.text())

    def source(self) -> str:
        return self.path.text().strip()

    def answer(self) -> dict | None:
        return self.check.answer if self.check.ok else None

    def problem(self) -> str | None:
        if not self.source():
            return self.tr("Give the path of the virtual machine's description on the host.")
        return self.check.problem(self.tr("Reading the source..."))

    def update_messages(self) -> None:
        if not self.source():
            self.message.set_info(self.tr("Nothing is read or written until you choose a source."))
            self.recognised.clear()
        elif self.check.checking:
            self.message.set_info(self.tr("Reading the source on {host}...").format(host=self.wiz.session.host_label))
        elif self.check.error:
            self.message.set_error(self.check.error)
            self.recognised.clear()
        elif self.check.answer is not None:
            self.message.set_info(self.tr("Recognised; nothing is written until Finish."))
            self.recognised.setText(facts_table(self.wiz.source_rows(self.check.answer)))
