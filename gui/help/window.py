"""The guide window: the chapters and their sections at the side, the chapter in a QTextBrowser (Markdown, rendered
by Qt; links between chapters, Back and Forward), and Find, which looks through the current chapter and then the
others. Everything is read from the guide's folder on this machine: nothing goes to the network."""

from __future__ import annotations

import re
import time
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer, QUrl
from PySide6.QtGui import (
    QAction,
    QDesktopServices,
    QImage,
    QKeySequence,
    QPainter,
    QPalette,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QMainWindow,
    QSplitter,
    QStyle,
    QTextBrowser,
    QToolBar,
    QTreeWidget,
    QTreeWidgetItem,
)

from .topics import CHAPTERS

_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
IMAGE_WIDTH = 760  # screenshots wider than this are shown scaled down to it (the window opens wide enough)
_ANCHOR = re.compile(r"\s*<!--\s*#([\w-]+)\s*-->")  # "## Arbeitsspeicher <!-- #memory -->": a heading's own anchor


def slug(heading: str) -> str:
    """A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", lambda m: m.group(1) or "", heading).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def headings(markdown: str) -> list[tuple[int, str]]:
    """The (level, text) of each heading of ``markdown``, outside code blocks."""
    return [(level, text) for level, text, _anchors in heading_anchors(markdown)]


def heading_anchors(markdown: str) -> list[tuple[int, str, list[str]]]:
    """The (level, text, anchors) of each heading of ``markdown``, outside code blocks: its own anchor first where
    it names one in a comment (a translated guide keeps the English chapter's anchors that way), then its slug."""
    found, fenced = [], False
    for line in markdown.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
            continue
        m = None if fenced else _HEADING.match(line)
        if m:
            own = _ANCHOR.search(m.group(2))
            text = _ANCHOR.sub("", m.group(2)).strip()
            found.append((len(m.group(1)), text, ([own.group(1)] if own else []) + [slug(text)]))
    return found


class GuideBrowser(QTextBrowser):
    """A QTextBrowser for the guide's Markdown: headings become anchors (so ``file.md#anchor`` scrolls there),
    screenshots wider than the page are scaled down to fit, links out of the guide open in the desktop's browser."""

    def __init__(self, folder: Path, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("guide_browser")
        self.folder = folder
        self.setSearchPaths([str(folder)])
        self.setOpenLinks(False)  # anchorClicked decides: the guide's own files here, the rest outside
        self.heading_names: list[list[str]] = []
        self._anchor: tuple[str, float] | None = None  # the anchor shown last, and until when to keep it in view
        self.anchorClicked.connect(self.follow)

    def follow(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
            return
        self.setSource(self.source().resolved(url) if url.isRelative() else url)

    def doSetSource(self, name: QUrl, type=QTextDocument.ResourceType.UnknownResource) -> None:  # noqa: A002
        super().doSetSource(name, QTextDocument.ResourceType.MarkdownResource
                            if name.path().endswith(".md") else type)
        self._mark_headings()
        # lay the chapter out again after marking the headings (a shown browser's layout stopped short at them,
        # leaving later paragraphs and images out), and down to its end, so an anchor is found where it ends up
        doc = self.document()
        doc.markContentsDirty(0, doc.characterCount())
        doc.documentLayout().blockBoundingRect(doc.lastBlock())
        if name.fragment():
            self.scrollToAnchor(name.fragment())
            # once more when the layout has settled (the window shown or resized, the images laid out)
            self._anchor = (name.fragment(), time.monotonic() + 1.0)
            QTimer.singleShot(0, self._settle)
        else:
            self._anchor = None
            self.moveCursor(QTextCursor.MoveOperation.Start)

    def _settle(self) -> None:
        if self._anchor is not None and time.monotonic() < self._anchor[1]:
            self.scrollToAnchor(self._anchor[0])

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._anchor is not None:
            QTimer.singleShot(0, self._settle)

    def _mark_headings(self) -> None:
        """Make each heading an anchor named by its own anchor and its slug (Qt's Markdown reader names none)."""
        path = Path(self.source().toLocalFile())
        parsed = heading_anchors(path.read_text(encoding="utf-8")) if path.suffix == ".md" and path.is_file() else []
        self.heading_names = []
        block = self.document().begin()
        while block.isValid():
            if block.blockFormat().headingLevel() and block.text().strip():
                i = len(self.heading_names)
                names = parsed[i][2] if i < len(parsed) else [slug(block.text().strip())]
                cursor = QTextCursor(block)
                cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
                mark = QTextCharFormat()
                mark.setAnchor(True)
                mark.setAnchorNames(names)
                cursor.mergeCharFormat(mark)
                self.heading_names.append(names)
            block = block.next()

    def anchors(self) -> list[str]:
        """The anchors of the chapter shown (each heading's own anchor and slug)."""
        return [name for names in self.heading_names for name in names]

    def loadResource(self, kind: int, name: QUrl):
        if kind == QTextDocument.ResourceType.ImageResource.value:
            path = Path(self.source().resolved(name).toLocalFile() if name.isRelative() else name.toLocalFile())
            image = QImage(str(path))
            if image.isNull():
                return super().loadResource(kind, name)
            if image.width() > IMAGE_WIDTH:
                image = image.scaledToWidth(IMAGE_WIDTH, Qt.TransformationMode.SmoothTransformation)
            image = image.convertToFormat(QImage.Format.Format_RGB32)
            painter = QPainter(image)  # a thin frame: a screenshot is not part of the page around it
            painter.setPen(self.palette().color(QPalette.ColorRole.Mid))
            painter.drawRect(0, 0, image.width() - 1, image.height() - 1)
            painter.end()
            return image
        return super().loadResource(kind, name)


class GuideWindow(QMainWindow):
    """The guide in a window of its own (not blocked by a wizard that is open)."""

    def __init__(self, folder: Path, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("guide_window")
        self.setWindowTitle(self.tr("Bulkhead User Guide"))
        self.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)  # the console quits with its main window
        self.folder = folder
        self.browser = GuideBrowser(folder)
        self.contents = QTreeWidget()
        self.contents.setObjectName("guide_contents")
        self.contents.setHeaderHidden(True)
        self.contents.setAccessibleName(self.tr("Contents"))
        self.contents.itemActivated.connect(self._contents_chosen)
        self.contents.itemClicked.connect(self._contents_chosen)
        self.chapters = self._fill_contents()
        splitter = QSplitter()
        splitter.addWidget(self.contents)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([230, 810])
        self.setCentralWidget(splitter)
        self._toolbar()
        self.browser.sourceChanged.connect(self._source_changed)
        self.browser.historyChanged.connect(self._history_changed)
        self.resize(QSize(1040, 720))

    def _toolbar(self) -> None:
        style = self.style()
        bar = QToolBar(self.tr("Guide toolbar"))
        bar.setObjectName("guide_toolbar")
        bar.setMovable(False)
        self.back_action = bar.addAction(style.standardIcon(QStyle.StandardPixmap.SP_ArrowBack), self.tr("&Back"),
                                         self.browser.backward)
        self.back_action.setObjectName("guide_back")
        self.back_action.setShortcut(QKeySequence.StandardKey.Back)
        self.forward_action = bar.addAction(style.standardIcon(QStyle.StandardPixmap.SP_ArrowForward),
                                            self.tr("&Forward"), self.browser.forward)
        self.forward_action.setObjectName("guide_forward")
        self.forward_action.setShortcut(QKeySequence.StandardKey.Forward)
        self.home_action = bar.addAction(style.standardIcon(QStyle.StandardPixmap.SP_DirHomeIcon),
                                         self.tr("&Contents"), lambda: self.open_topic("index.md"))
        self.home_action.setObjectName("guide_home")
        bar.addSeparator()
        self.find = QLineEdit()
        self.find.setObjectName("guide_find")
        self.find.setPlaceholderText(self.tr("Find in the guide (Enter: next)"))
        self.find.setAccessibleName(self.tr("Find in the guide"))
        self.find.setClearButtonEnabled(True)
        self.find.setMaximumWidth(320)
        self.find.returnPressed.connect(self.find_next)
        bar.addWidget(self.find)
        self.find_status = QLabel()
        self.find_status.setObjectName("guide_find_status")
        bar.addWidget(self.find_status)
        self.find_action = QAction(self.tr("Find"), self)  # Ctrl+F: on the window, shown nowhere
        self.find_action.setObjectName("guide_find_action")
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(lambda: (self.find.setFocus(), self.find.selectAll()))
        self.addAction(self.find_action)
        self.addToolBar(bar)
        self._history_changed()

    def _fill_contents(self) -> dict[str, QTreeWidgetItem]:
        """A top-level item per chapter (titled by its first heading), its second-level headings under it."""
        items = {}
        for name in CHAPTERS:
            path = self.folder / name
            found = heading_anchors(path.read_text(encoding="utf-8")) if path.is_file() else []
            title = found[0][1] if found else name
            item = QTreeWidgetItem(self.contents, [title])
            item.setData(0, Qt.ItemDataRole.UserRole, name)
            for level, text, names in found[1:]:
                if level == 2:
                    QTreeWidgetItem(item, [text]).setData(0, Qt.ItemDataRole.UserRole, f"{name}#{names[0]}")
            items[name] = item
        return items

    # --- navigation ----------------------------------------------------------------------------------------------
    def open_topic(self, topic: str) -> None:
        """Show ``topic`` (``file.md`` or ``file.md#anchor``; the contents for a file the guide lacks)."""
        name, _, anchor = topic.partition("#")
        if not (self.folder / name).is_file():
            name, anchor = "index.md", ""
        url = QUrl.fromLocalFile(str(self.folder / name))
        if anchor:
            url.setFragment(anchor)
        self.browser.setSource(url)

    def chapter(self) -> str:
        """The file name of the chapter shown."""
        return Path(self.browser.source().toLocalFile()).name

    def _contents_chosen(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        topic = item.data(0, Qt.ItemDataRole.UserRole)
        if topic and topic != self._topic():
            self.open_topic(topic)

    def _topic(self, url: QUrl | None = None) -> str:
        url = url or self.browser.source()
        name = Path(url.toLocalFile()).name
        return name + (f"#{url.fragment()}" if url.fragment() else "")

    def _source_changed(self, url: QUrl) -> None:
        """Mark the chapter (or section) shown in the contents (the browser's source() is not yet ``url``)."""
        wanted = self._topic(url)
        item = self.chapters.get(wanted.partition("#")[0])
        if item is None:
            return
        match = next((item.child(i) for i in range(item.childCount())
                      if item.child(i).data(0, Qt.ItemDataRole.UserRole) == wanted), item)
        self.contents.blockSignals(True)
        item.setExpanded(True)
        self.contents.setCurrentItem(match)
        self.contents.blockSignals(False)
        self.find_status.clear()

    def _history_changed(self) -> None:
        self.back_action.setEnabled(self.browser.isBackwardAvailable())
        self.forward_action.setEnabled(self.browser.isForwardAvailable())

    # --- find ----------------------------------------------------------------------------------------------------
    def find_next(self) -> bool:
        """The next place the text in Find occurs: further on in this chapter, else in the chapters after it
        (wrapping round to the first). Returns whether it was found."""
        text = self.find.text().strip()
        self.find_status.clear()
        if not text:
            return False
        if self.browser.find(text):
            return True
        order = list(CHAPTERS)
        here = order.index(self.chapter()) if self.chapter() in order else -1
        for name in order[here + 1:] + order[:here + 1]:
            path = self.folder / name
            if path.is_file() and text.casefold() in path.read_text(encoding="utf-8").casefold():
                self.open_topic(name)
                if self.browser.find(text):
                    return True
        self.find_status.setText(self.tr("Not found"))
        return False
