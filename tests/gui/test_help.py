"""The user guide: Help > User Guide opens it offline with its chapters, F1 opens the chapter of the pane or wizard
page that has focus, links between chapters and Back/Forward work, every image the guide shows exists, and the
wizard pages' main fields explain themselves (What's This, Shift+F1)."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QImage, QTextDocument
from PySide6.QtWidgets import QApplication, QWidget, QWizard

from gui import help as guide
from gui.help import topics
from gui.help.window import heading_anchors, headings

from .conftest import make_vms

WAIT = 10_000
LINK = re.compile(r"(!?)\[[^\]]*\]\(([^)\s]+)\)")


@pytest.fixture(autouse=True)
def _close_guide():
    yield
    if guide._window is not None:
        guide._window.close()
        guide._window.deleteLater()
        guide._window = None


# the English guide and its translations (a folder of the guide per language, with the same chapters)
EDITIONS = [guide.GUIDE_DIR] + sorted(p.parent for p in guide.GUIDE_DIR.glob("*/index.md"))


def chapter_files(folder=guide.GUIDE_DIR) -> list:
    return [folder / name for name in topics.CHAPTERS]


def anchors_of(name: str, folder=guide.GUIDE_DIR) -> set[str]:
    return {a for _level, _text, names in heading_anchors((folder / name).read_text(encoding="utf-8")) for a in names}


def links(path) -> list[tuple[bool, str]]:
    """(is an image, target) of every Markdown link of ``path`` outside code blocks."""
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
    return [(bang == "!", target) for bang, target in LINK.findall(text)]


def shown_guide(qtbot):
    qtbot.waitUntil(lambda: guide._window is not None and guide._window.isVisible(), timeout=WAIT)
    return guide._window


def press_f1(qtbot, widget: QWidget) -> None:
    widget.window().activateWindow()
    qtbot.waitUntil(lambda: widget.window().isActiveWindow(), timeout=WAIT)
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus, timeout=WAIT)
    qtbot.keyClick(widget, Qt.Key.Key_F1)


# --- the guide's files ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("folder", EDITIONS, ids=lambda f: f.name)
def test_the_guide_has_its_chapters_each_with_a_title(folder):
    for path in chapter_files(folder):
        assert path.is_file(), path
        found = headings(path.read_text(encoding="utf-8"))
        assert found and found[0][0] == 1, f"{path.name} starts with no title"
    assert len(topics.CHAPTERS) >= 8


@pytest.mark.parametrize("folder", EDITIONS, ids=lambda f: f.name)
def test_links_between_chapters_name_a_chapter_and_a_heading(folder):
    for path in chapter_files(folder):
        for image, target in links(path):
            if image or target.startswith(("http://", "https://", "mailto:")):
                continue
            name, _, anchor = target.partition("#")
            name = name or path.name
            assert (folder / name).is_file(), f"{path.name}: link to missing {target}"
            assert not anchor or anchor in anchors_of(name, folder), f"{path.name}: link to missing heading {target}"


@pytest.mark.parametrize("folder", EDITIONS, ids=lambda f: f.name)
def test_no_broken_image_links_and_no_unused_images(folder):
    used = set()
    for path in chapter_files(folder):
        for image, target in links(path):
            if image:
                file = (path.parent / target).resolve()
                assert file.is_file(), f"{path.name}: image {target} does not exist"
                assert file.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{target} is not a PNG"
                used.add(file.name)
    assert len(used) >= 14  # every chapter but the command line's has screenshots
    unused = {p.name for p in (folder / "images").glob("*")} - used
    assert not unused, f"images no chapter shows (they would only make the package larger): {sorted(unused)}"


@pytest.mark.parametrize("folder", EDITIONS, ids=lambda f: f.name)
def test_every_help_topic_names_a_heading_of_the_guide(folder):
    for table in (topics.PANES, topics.WIZARDS, topics.WIZARD_PAGES):
        for key, topic in table.items():
            name, _, anchor = topic.partition("#")
            assert name in topics.CHAPTERS, f"{key}: {topic}"
            assert not anchor or anchor in anchors_of(name, folder), f"{key}: no heading {topic} in {folder}"


# --- the window ----------------------------------------------------------------------------------------------------
def test_help_user_guide_opens_the_guide_with_its_chapters(qtbot, window):
    help_menu = next(m for m in window.menuBar().findChildren(type(window.menuBar().addMenu("x")))
                     if m.objectName() == "menu_help")
    action = next(a for a in help_menu.actions() if a.objectName() == "action_user_guide")
    assert action.shortcut().toString() == "F1"
    expected = guide.topic_for(QApplication.focusWidget() or window).partition("#")[0]
    action.trigger()
    g = shown_guide(qtbot)
    titles = [g.contents.topLevelItem(i).text(0) for i in range(g.contents.topLevelItemCount())]
    assert titles[:3] == ["Bulkhead User Guide", "Your first virtual machine", "Health and alerts"]
    assert len(titles) == len(topics.CHAPTERS)
    assert g.chapter() == expected
    g.home_action.trigger()
    assert g.chapter() == "index.md" and "Chapters" in g.browser.toPlainText()
    # offline: every image of a chapter loads from the package's folder
    g.open_topic("first-vm.md")
    doc = g.browser.document()
    names = [t for image, t in links(guide.GUIDE_DIR / "first-vm.md") if image]
    for name in names:
        loaded = g.browser.loadResource(QTextDocument.ResourceType.ImageResource.value, QUrl(name))
        assert isinstance(loaded, QImage) and not loaded.isNull(), name
    assert doc.toPlainText().startswith("Your first virtual machine")


def test_links_back_and_forward_and_the_contents(qtbot, window):
    g = guide.show()
    qtbot.addWidget(g)
    assert g.chapter() == "index.md" and not g.back_action.isEnabled()
    g.browser.follow(QUrl("migration.md#precheck"))
    assert g.chapter() == "migration.md" and g.browser.source().fragment() == "precheck"
    assert g.browser.verticalScrollBar().value() > 0  # scrolled to the heading
    assert g.contents.currentItem().text(0) == "Moving virtual machines"
    assert g.back_action.isEnabled()
    g.back_action.trigger()
    assert g.chapter() == "index.md" and g.forward_action.isEnabled()
    g.forward_action.trigger()
    assert g.chapter() == "migration.md"
    section = next(g.chapters["checkpoints.md"].child(i) for i in range(g.chapters["checkpoints.md"].childCount())
                   if g.chapters["checkpoints.md"].child(i).text(0) == "Export and import")
    g._contents_chosen(section)
    assert g.chapter() == "checkpoints.md" and g.browser.source().fragment() == "export-and-import"
    g.open_topic("nothing-like-this.md#x")  # an unknown topic: the contents
    assert g.chapter() == "index.md"


def test_a_chapter_is_laid_out_whole_and_its_anchor_scrolled_to(qtbot, window):
    g = guide.show("index.md")  # shown: its browser lays out as it goes
    for topic in ("first-vm.md#installation-options", "migration.md", "health.md#jobs"):
        g.open_topic(topic)
        qtbot.wait(50)
        doc, lay = g.browser.document(), g.browser.document().documentLayout()
        block, empty = doc.begin(), []
        while block.isValid():
            if block.text().strip() and lay.blockBoundingRect(block).height() <= 0:
                empty.append(block.text()[:40])
            block = block.next()
        assert not empty, f"{topic}: paragraphs left out of the layout: {empty[:3]}"
    assert g.browser.verticalScrollBar().value() == g.browser.verticalScrollBar().maximum() or \
        g.browser.verticalScrollBar().value() > 0


def test_find_looks_through_the_other_chapters(qtbot, window):
    g = guide.show()
    g.activateWindow()
    qtbot.waitUntil(g.isActiveWindow, timeout=WAIT)
    g.browser.setFocus()
    qtbot.keyClick(g.browser, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(g.find.hasFocus, timeout=WAIT)
    g.find.setText("Take Checkpoint and Apply")
    assert g.find_next()
    assert g.chapter() == "checkpoints.md"
    assert g.browser.textCursor().selectedText() == "Take Checkpoint and Apply"
    g.find.setText("no such words in the guide at all")
    assert not g.find_next() and g.find_status.text() == "Not found"


def test_f1_opens_the_chapter_of_the_pane_with_focus(qtbot, window, conn):
    make_vms(conn, "web1")
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 1, timeout=WAIT)
    window.lower.setCurrentWidget(window.checkpoints)
    press_f1(qtbot, window.checkpoints.tree)
    assert shown_guide(qtbot).chapter() == "checkpoints.md"
    assert guide.topic_for(window.table) == "first-vm.md#the-main-window"
    assert guide.topic_for(window.nav) == "remote-hosts.md#the-navigation-tree"
    window.alerts_dock.raise_()
    assert guide.topic_for(window.alerts.findChildren(QWidget)[0]) == "health.md#alerts"
    assert guide.topic_for(window.performance) == "health.md#performance-graphs"
    assert guide.topic_for(window.details) == "health.md#details"


def test_f1_and_help_on_a_wizard_page_open_its_chapter(qtbot, window):
    wiz = window.open_wizard()
    wiz.name_page.name.setText("web9")
    wiz.next()
    assert wiz.currentPage() is wiz.memory_page
    press_f1(qtbot, wiz.memory_page.memory)
    g = shown_guide(qtbot)
    assert (g.chapter(), g.browser.source().fragment()) == ("first-vm.md", "memory")
    assert g.browser.verticalScrollBar().value() > 0
    wiz.next()
    wiz.button(QWizard.WizardButton.HelpButton).click()
    assert (g.chapter(), g.browser.source().fragment()) == ("first-vm.md", "processors")
    wiz.reject()


def test_f1_in_the_migrate_wizard(qtbot, window, conn):
    make_vms(conn, "web1")
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 1, timeout=WAIT)
    vm = window.session.vm_model.vms()[0]
    wiz = window.open_migrate((window.session, vm))
    press_f1(qtbot, wiz.select_page.table)
    g = shown_guide(qtbot)
    assert (g.chapter(), g.browser.source().fragment()) == ("migration.md", "select-host")
    wiz.reject()


# --- What's This -------------------------------------------------------------------------------------------------
# each wizard page's main fields (attributes of the page); pages without a field of their own explain the page
MAIN_FIELDS = {
    "new_vm_wizard": {
        "NamePage": ["name", "notes"], "MemoryPage": ["memory"], "ProcessorsPage": ["vcpus"],
        "NetworkPage": ["switch", "ip"],
        "DiskPage": ["create", "existing", "none", "disk_name", "disk_folder", "disk_size", "disk_type", "path",
                     "controller"],
        "InstallPage": ["bundled", "other", "workload", "amount", "image", "cmdline", "integration"],
        "SummaryPage": ["start"]},
    "migrate_wizard": {
        "SelectHostPage": ["table"], "PrecheckPage": ["grid"],
        "TransferPage": ["bandwidth", "downtime", "auto_converge", "copy_storage"],
        "PathsPage": ["path", "files"], "SummaryPage": ["choices", "prediction_text"]},
    "convert_wizard": {
        "ConvertSourcePage": ["path"], "ConvertIdentityPage": ["name", "notes"], "ConvertReportPage": ["report"],
        "ConvertHostPage": ["table"], "ConvertPathPage": ["folder"], "ConvertNetworksPage": [""],
        "ConvertSummaryPage": ["summary"]},
    "convert_physical_wizard": {
        "PhysicalSourcePage": ["here", "remote", "address"], "PhysicalSystemPage": ["tree"],
        "PhysicalVolumesPage": ["disks", "image", "freeze"], "PhysicalConfigPage": ["name", "memory", "vcpus", "notes"],
        "ConvertHostPage": ["table"], "ConvertPathPage": ["folder"], "ConvertNetworksPage": [""],
        "PhysicalSummaryPage": ["summary"]},
    "import_wizard": {
        "LocateFolderPage": ["host", "path"], "SelectVmPage": ["table", "details"], "ImportTypePage": ["name"],
        "ImportSummaryPage": ["summary"]},
}


def whats_this_of(page, attr: str) -> str:
    """The What's This of the page's field ``attr`` ("": of the page itself, whose fields are made as it opens)."""
    return (getattr(page, attr) if attr else page).whatsThis()


def open_wizards(qtbot, window, conn):
    make_vms(conn, "web1")
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 1, timeout=WAIT)
    vm = window.session.vm_model.vms()[0]
    from gui.wizards import import_vm

    for opener in (window.open_wizard, lambda: window.open_migrate((window.session, vm)), window.open_convert,
                   window.open_convert_physical, lambda: import_vm.open_wizard(window)):
        yield opener()  # one at a time: the caller closes each before the next opens


def test_whats_this_on_every_wizard_pages_main_fields(qtbot, window, conn):
    for wiz in open_wizards(qtbot, window, conn):
        fields = MAIN_FIELDS[wiz.objectName()]
        assert {type(p).__name__ for p in wiz.pages} == set(fields), wiz.objectName()
        for page in wiz.pages:
            for attr in fields[type(page).__name__]:
                text = whats_this_of(page, attr)
                assert len(text) > 30, f"{wiz.objectName()}/{type(page).__name__}.{attr} has no What's This"
        if wiz.objectName() == "migrate_wizard":
            assert all(len(b.whatsThis()) > 30 for b in wiz.transfer_page.buttons.values())
        if wiz.objectName() == "import_wizard":
            assert all(len(b.whatsThis()) > 30 for b in wiz.type_page.radios.values())
        wiz.reject()


def test_shift_f1_shows_a_fields_whats_this(qtbot, window):
    wiz = window.open_wizard()
    field = wiz.name_page.name
    field.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field, timeout=WAIT)
    qtbot.keyClick(field, Qt.Key.Key_F1, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: any(w.metaObject().className() == "QWhatsThat" and w.isVisible()
                                for w in QApplication.topLevelWidgets()), timeout=WAIT)
    assert guide._window is None  # Shift+F1 is What's This, not the guide
    for w in QApplication.topLevelWidgets():
        if w.metaObject().className() == "QWhatsThat":
            w.close()
    wiz.reject()


# --- German layout: the Checkpoints pane's buttons no longer squeeze the Navigation pane ----------------------------
@pytest.fixture
def german(qapp, monkeypatch):
    from gui import i18n

    monkeypatch.setenv("BULKHEAD_LANG", "de")
    installed = i18n.install(qapp, "de")
    assert any(t.filePath().endswith("bulkhead_de.qm") for t in installed)
    yield
    for translator in installed:
        QApplication.removeTranslator(translator)


def test_german_main_window_keeps_the_navigation_pane_wide(german, make_window, conn):
    make_vms(conn, "web1")
    window = make_window(conn)
    window.resize(1240, 760)
    QApplication.processEvents()
    assert window.checkpoints.actions["remove_subtree"].text() == "Prüfpunkt&unterstruktur löschen..."
    assert window.lower.minimumSizeHint().width() < 700  # the checkpoint buttons overflow into the toolbar's menu
    assert window.nav_dock.width() >= 200, window.nav_dock.width()


def test_german_vm_list_never_squeezes_heartbeat_below_its_title(german, make_window, conn):
    from gui.models.vm_table import Col, column_width

    make_vms(conn, "web1")
    window = make_window(conn)
    header = window.table.horizontalHeader()
    assert window.session.vm_model.headerData(Col.STATUS, Qt.Orientation.Horizontal) == "Takt/Status"
    for width in (1280, 1100):  # where the columns do not fit, the list scrolls sideways
        window.resize(width, 760)
        QApplication.processEvents()
        assert header.sectionSize(Col.STATUS) >= column_width(Col.STATUS, header.fontMetrics()), width
    window.resize(1600, 900)  # where there is room, the last column takes it
    QApplication.processEvents()
    assert header.length() >= window.table.viewport().width()


def test_german_console_opens_the_german_guide_at_the_same_anchors(german, qtbot, window):
    assert guide.guide_dir() == guide.GUIDE_DIR / "de"
    wiz = window.open_wizard()
    wiz.name_page.name.setText("web9")
    wiz.next()
    wiz.button(QWizard.WizardButton.HelpButton).click()
    g = shown_guide(qtbot)
    assert g.folder == guide.GUIDE_DIR / "de"
    assert (g.chapter(), g.browser.source().fragment()) == ("first-vm.md", "memory")
    assert g.browser.verticalScrollBar().value() > 0  # the German heading carries the English anchor
    assert g.contents.topLevelItem(0).text(0) == "Bulkhead-Benutzerhandbuch"
    assert g.windowTitle() == "Bulkhead-Benutzerhandbuch"
    wiz.reject()
