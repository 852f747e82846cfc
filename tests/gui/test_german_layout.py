"""German fits the main window at its default size: the Actions pane shows every entry whole, the VM list's columns
are as wide as their titles and contents in the language shown, and the hosts' English job titles and backend
descriptions show translated (the English console stays as it was)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QToolButton

from gui import format as fmt
from gui import i18n
from gui.models.jobs import JobCol, JobsModel
from gui.models.vm_table import Col, VmTableModel, column_width, header_lines
from gui.wizards.new_vm.disk_text import controller_labels, kind_short


@pytest.fixture(params=["de", "en"])
def lang(request, qapp, monkeypatch):
    """The console in German (the shipped translation, BULKHEAD_LANG=de) and in English."""
    monkeypatch.setenv("BULKHEAD_LANG", request.param)
    installed = i18n.install(qapp, request.param)
    if request.param == "de":
        assert any(t.filePath().endswith("bulkhead_de.qm") for t in installed)
    yield request.param
    for translator in installed:
        QApplication.removeTranslator(translator)


def _text(button: QToolButton) -> str:
    return button.text().replace("&&", "\0").replace("&", "").replace("\0", "&")


def test_the_actions_pane_shows_every_entry_whole(lang, make_window, conn):
    window = make_window(conn)
    window.resize(1280, 800)
    QApplication.processEvents()
    pane = window.actions_pane
    buttons = [b for b in pane.widget().findChildren(QToolButton) if b.isVisibleTo(pane)]
    assert len(buttons) > 10
    if lang == "de":
        assert {"Manager für virtuelle Switches", "Virtuellen Computer konvertieren"} <= {_text(b) for b in buttons}
    for button in buttons:
        metrics = button.fontMetrics()
        needed = metrics.horizontalAdvance(_text(button)) + button.iconSize().width()
        assert button.width() >= needed, (_text(button), button.width(), needed)
        assert button.width() >= button.sizeHint().width(), (_text(button), button.width(), button.sizeHint())
    assert pane.viewport().width() >= max(b.sizeHint().width() for b in buttons)


def test_the_vm_list_columns_fit_their_titles_and_states(lang, make_window, conn):
    window = make_window(conn)
    header = window.table.horizontalHeader()
    metrics = header.fontMetrics()
    running = "Wird ausgeführt" if lang == "de" else "Running"
    model = VmTableModel()
    model.apply_list([{"id": "a", "name": "a", "state": "Running"}])
    assert model.index(0, Col.STATE).data() == running
    assert header.sectionSize(Col.STATE) >= metrics.horizontalAdvance(running) + 12
    for col in (Col.STATE, Col.CPU, Col.MEMORY, Col.UPTIME, Col.CPU_GRAPH):
        widest = max(metrics.horizontalAdvance(line) for line in header_lines(col).split("\n"))
        assert header.sectionSize(col) >= widest + 12, (header_lines(col), header.sectionSize(col))
        assert header.sectionSize(col) >= column_width(col, metrics)
    jobs = window.jobs.horizontalHeader()  # the jobs list: a finished job's state and the usual titles
    completed = "Abgeschlossen" if lang == "de" else "Completed"
    assert jobs.sectionSize(JobCol.STATE) >= jobs.fontMetrics().horizontalAdvance(completed) + 12
    title = "Neuer virtueller Computer" if lang == "de" else "New VM"
    assert jobs.sectionSize(JobCol.NAME) >= jobs.fontMetrics().horizontalAdvance(title) + 12
    memory = model.headerData(Col.MEMORY, Qt.Orientation.Horizontal)
    if lang == "de":  # a long title takes two lines rather than a column as wide as itself
        assert memory == "Zugewiesener\nArbeitsspeicher"
    else:
        assert memory == "Assigned Memory"  # English titles stay on one line
        assert all("\n" not in header_lines(col) for col in Col)


def test_the_hosts_job_titles_show_in_the_console_language(lang):
    model = JobsModel()
    model.upsert({"id": 1, "name": "New VM", "target": "a", "target_name": "web1", "state": "Completed",
                  "progress": 100})
    model.upsert({"id": 2, "name": "Some newer host's job", "target": "a", "state": "Running", "progress": 5})
    expected = "Neuer virtueller Computer" if lang == "de" else "New VM"
    assert model.index(1, JobCol.NAME).data() == expected
    assert model.index(0, JobCol.NAME).data() == "Some newer host's job"  # an unknown title as the host gives it
    vms = VmTableModel()
    vms.apply_list([{"id": "a", "name": "web1", "state": "Off"}])
    vms.set_job({"id": 3, "name": "Start VM", "target": "a", "state": "Running", "progress": 50})
    started = "Virtuellen Computer starten" if lang == "de" else "Start VM"
    assert vms.index(0, Col.OPERATION).data() == f"{started} (50 %)"


def test_backend_and_disk_words_show_in_the_console_language(lang):
    de = lang == "de"
    assert fmt.backend("hardware virtualization (Linux KVM)") == (
        "Hardwarevirtualisierung (Linux KVM)" if de else "hardware virtualization (Linux KVM)")
    assert fmt.backend("something else") == "something else"
    assert kind_short("dynamic") == ("dynamisch" if de else "dynamic")
    assert kind_short("qcow2") == "qcow2"
    shorts = [short for _label, short in controller_labels("bulkhead")]
    assert shorts == (["synthetisch", "emuliert"] if de else ["synthetic", "emulated"])
    assert [short for _label, short in controller_labels("libvirt")] == ["virtio", "IDE"]
