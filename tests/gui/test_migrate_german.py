"""The Migrate wizard in German: the lines core builds in English for a host's rating (its explanation, why a host
cannot take the VM) are shown in German on the Select Host page."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale

from core.model.phrase import phrase
from gui import i18n, placement_words
from gui.wizards.migrate.select_host import WHY

from .migrate_helpers import open_wizard, rated, running_vm


@pytest.fixture
def german(qapp):
    before = QLocale()
    installed = i18n.install(qapp, "de")
    assert installed, "no German translation installed"
    yield
    for t in installed:
        qapp.removeTranslator(t)
    QLocale.setDefault(before)  # install made German the default for numbers too


def test_a_phrase_reads_german_with_its_values_and_english_without_a_translation(qapp, german):
    p = phrase("the VM needs {need} of memory; this host has {free} free", need="2 GiB", free="1 GiB")
    assert placement_words.text(p) == "der virtuelle Computer benötigt 2 GiB Arbeitsspeicher; auf diesem Host sind " \
                                      "1 GiB frei"
    nested = phrase("Not measured for this VM, SCVMM's defaults assumed: {defaults}",
                    defaults=(phrase("CPU 20 %"), phrase("disk 2 GB")))
    assert placement_words.text(nested) == ("Für diesen virtuellen Computer nicht gemessen, Standardwerte von SCVMM "
                                            "angenommen: Prozessor 20 %, Datenträger 2 GB")
    unknown = phrase("a sentence {x} no catalog has", x="1")
    assert placement_words.text(unknown) == "a sentence 1 no catalog has"
    assert str(p) == "the VM needs 2 GiB of memory; this host has 1 GiB free"  # the English text stays as it was
    before = QLocale()
    QLocale.setDefault(QLocale("de_DE"))
    try:  # figures as German writes them, as the page's Free Memory column does
        memory = phrase("Memory: {free} free of {total}", free="21.2 GiB", total="23.5 GiB")
        assert placement_words.text(memory) == "Arbeitsspeicher: 21,2 GiB frei von 23,5 GiB"
        assert str(memory) == "Memory: 21.2 GiB free of 23.5 GiB"
    finally:
        QLocale.setDefault(before)


def test_the_select_host_page_explains_a_rating_in_german(german, make_window, conn, qtbot):
    window = make_window(conn)
    running_vm(qtbot, window, conn, "de1")
    wiz = open_wizard(qtbot, window, "de1")
    page = rated(qtbot, wiz)
    assert page.select_host(window.session)
    shown = page.explanation.text()
    english = [str(line) for line in page.selected()["explanation"]]
    assert any(line.startswith("Memory: ") for line in english)  # the rating itself is in English
    assert "Arbeitsspeicher: " in shown and " frei von " in shown, shown
    assert "Sterne für Lastenausgleich" in shown and "Back-End: " in shown and "Netzwerk: " in shown, shown
    assert "Der virtuelle Computer wird jetzt hier ausgeführt" in shown, shown
    for word in ("Memory:", "free of", "stars for", "Backend:", "Network:", "in use with this VM"):
        assert word not in shown, (word, shown)
    # a host that cannot take the VM says why in German, in its row and in the page's message
    refused = dict(page.selected(), stars=0.0, suitable=False, index=0,
                   explanation=[phrase("the VM has {vcpus} virtual processors; this host allows at most {most}",
                                       vcpus="4", most="2")])
    page._rated([refused])
    page.select_host(window.session)
    why = "der virtuelle Computer hat 4 virtuelle Prozessoren; dieser Host erlaubt höchstens 2"
    assert page.model.item(0, WHY).text() == why
    assert why in page.explanation.text()
    # the precheck's rows, as they come from the destination (text, not Phrases), read German on the Precheck page
    rows = [{"severity": "error", "topic": "network", "text": "the destination has no virtual switch 'lan' (it has: "
             "lan2)", "hint": "map adapter 'lan' to a switch on the destination (--network-map lan=SWITCH)"},
            {"severity": "info", "topic": "state", "text": "VM 'de1' is Running: it keeps running during the move",
             "hint": ""},
            {"severity": "info", "topic": "memory", "text": "memory: the VM needs 16 MiB; the destination has 21.2 GiB "
             "free", "hint": ""},
            {"severity": "info", "topic": "bandwidth", "text": "something no template reads", "hint": ""}]
    grid = wiz.precheck_page.grid
    wiz.precheck_page.show_rows(rows)
    shown = {grid.item(r, 2).text(): grid.item(r, 3).text() for r in range(grid.rowCount())}
    assert shown == {
        "das Ziel hat keinen virtuellen Switch „lan“ (vorhanden: lan2)":
            "Beheben Sie dies auf der Seite „Pfad und Netzwerke“: ordnen Sie den Adapter „lan“ einem Switch auf dem "
            "Ziel zu (--network-map lan=SWITCH)",
        "Virtueller Computer „de1“ (Status: Wird ausgeführt): er wird während des Verschiebens weiter ausgeführt": "",
        f"Arbeitsspeicher: der virtuelle Computer benötigt 16 MiB; auf dem Ziel sind 21{QLocale().decimalPoint()}2 GiB "
        "frei": "",
        "something no template reads": ""}, shown
    wiz.reject()
