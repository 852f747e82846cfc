"""Browse <host>: the folders of the host a VM is made on, listed by the host (host.browse) and never by this
machine's file system, for choosing a file (a disk, an image) or a folder there. What the New VM wizard's Browse...
buttons open when the host is another machine.

A path field (Enter goes there), Up, the entries (folders first, with icons; double-click or Enter opens a folder,
and in file mode chooses a file), the free space of that folder's file system, and OK/Cancel. Every listing is asked
for off the GUI thread (gui/operations/browse.py); an answer that comes after the user moved on is dropped.
"""

from __future__ import annotations

import posixpath

from PySide6.QtCore import QDateTime, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from gui import format as fmt
from gui.dialogs.buttons import button_row
from gui.operations.browse import list_folder
from gui.tasks import describe
from gui.widgets.field_message import FieldMessage
from gui.widgets.named import named

ENTRY = Qt.ItemDataRole.UserRole
SP = QStyle.StandardPixmap
ICONS = {"dir": SP.SP_DirIcon, "file": SP.SP_FileIcon, "other": SP.SP_FileIcon}
LINK_ICONS = {"dir": SP.SP_DirLinkIcon, "file": SP.SP_FileLinkIcon}


def is_folder(entry: dict) -> bool:
    return entry.get("type") == "dir" or (entry.get("type") == "link" and entry.get("target") == "dir")


def is_file(entry: dict) -> bool:
    return entry.get("type") == "file" or (entry.get("type") == "link" and entry.get("target") == "file")


class HostBrowserDialog(QDialog):
    """``chosen(path)`` once the user picks a file (``folders=False``) or a folder (``folders=True``) on the host.
    ``kinds`` narrows the files listed (Connection.browse: [".vhd", ".iso"]); folders are always listed. ``select``
    names an entry of ``path`` to select once it is listed."""

    chosen = Signal(str)
    listed = Signal()  # a listing (or its error) is shown: for tests and screen readers

    def __init__(self, session, path: str = "", kinds: list[str] | None = None, folders: bool = False,
                 title: str = "", parent=None, select: str = "") -> None:
        super().__init__(parent)
        self.session = session
        self.kinds = ["dir"] if folders else kinds
        self.folders = folders
        self.listing: dict | None = None
        self.folder = ""  # the folder shown
        self._up_to: str | None = None
        self._asked = 0
        self._select = select  # a name to select once its folder is listed
        self._first = True
        host = getattr(session, "host_label", "") or self.tr("the host")
        self.setObjectName("host_browser")
        self.setWindowTitle(title or self.tr("Browse {host}").format(host=host))
        self.path = named(QLineEdit(path), "browse_path", self.tr("Folder on the host"))
        self.path.setPlaceholderText(self.tr("/path/on/the/host"))
        self.path.returnPressed.connect(lambda: self.go(self.path.text().strip()))
        self.up = named(QPushButton(self.style().standardIcon(SP.SP_FileDialogToParent), self.tr("&Up")), "browse_up",
                        self.tr("Up one folder"))
        self.up.setAutoDefault(False)
        self.up.clicked.connect(self.go_up)
        top = QHBoxLayout()
        label = QLabel(self.tr("&Folder:"))
        label.setBuddy(self.path)
        top.addWidget(label)
        top.addWidget(self.path, 1)
        top.addWidget(self.up)
        self.entries = named(QTreeWidget(), "browse_entries", self.tr("Folders and files on the host"))
        self.entries.setHeaderLabels([self.tr("Name"), self.tr("Size"), self.tr("Modified")])
        self.entries.setRootIsDecorated(False)
        self.entries.setUniformRowHeights(True)
        self.entries.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.entries.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.entries.itemActivated.connect(self._activated)
        self.entries.itemSelectionChanged.connect(self._selection_changed)
        self.hidden = named(QCheckBox(self.tr("Show &hidden items")), "browse_hidden")
        self.hidden.toggled.connect(lambda _on: self._fill())
        self.space = named(QLabel(), "browse_space", self.tr("Free space"))
        bottom = QHBoxLayout()
        bottom.addWidget(self.space, 1)
        bottom.addWidget(self.hidden)
        self.message = named(FieldMessage(), "browse_message")
        ok_text = self.tr("Select &Folder") if folders else self.tr("&Select")
        self.buttons, self.ok = button_row(self, ok_text, self.accept)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.entries, 1)
        layout.addLayout(bottom)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(640, 460)
        self._update_buttons()
        self.go(path.strip())

    # --- listing -----------------------------------------------------------------------------------------------
    def go(self, path: str) -> None:
        """List ``path`` on the host ("" for its default folder)."""
        self._asked += 1
        asked = self._asked
        self.message.set_info(self.tr("Listing {path}...").format(path=path or self.tr("the host's folder")))
        list_folder(self.session, path, self.kinds, owner=self).success(
            lambda listing: self._shown(asked, listing)).failure(
            lambda error: self._failed(asked, path, error)).run()

    def go_up(self) -> None:
        if self._up_to:
            self._select = posixpath.basename(self.folder.rstrip("/")) if self.folder else ""
            self.go(self._up_to)

    def _shown(self, asked: int, listing: dict) -> None:
        if asked != self._asked:
            return  # the user went elsewhere meanwhile
        self._first = False
        self.listing = listing
        self.folder = listing["path"]
        self._up_to = listing.get("parent")
        self.path.setText(self.folder)
        free, total = listing.get("free_bytes"), listing.get("total_bytes")
        self.space.setText(self.tr("{free} free of {total}").format(free=fmt.size(free), total=fmt.size(total))
                           if total else "")
        notes = []
        if listing.get("truncated"):
            notes.append(self.tr("Only the first {n} entries are shown: type a path to go further.").format(
                n=len(listing.get("entries") or [])))
        if listing.get("skipped"):
            notes.append(self.tr("{n} items with names that cannot be used in a path are not shown.").format(
                n=listing["skipped"]))
        if notes:
            self.message.set_info(" ".join(notes))
        else:
            self.message.clear()
        self._fill()
        self.listed.emit()

    def _failed(self, asked: int, path: str, error: BaseException) -> None:
        if asked != self._asked:
            return
        code = getattr(error, "code", "") or ""
        if self._first and path and code == "path.not_folder":  # a file was given: its folder, with it selected
            self._first = False
            self._select = posixpath.basename(path)
            self.go(posixpath.dirname(path) or "/")
            return
        self._first = False
        self.listing = None
        self.folder = ""
        parent = posixpath.dirname(path.rstrip("/")) if path.startswith("/") else ""
        self._up_to = parent if parent and parent != path else None
        self.entries.clear()
        self.space.clear()
        self.message.set_error(describe(error))
        self._update_buttons()
        self.listed.emit()

    def _fill(self) -> None:
        self.entries.clear()
        entries = (self.listing or {}).get("entries") or []
        shown = [e for e in entries if self.hidden.isChecked() or not e.get("name", "").startswith(".")]
        shown.sort(key=lambda e: (0 if is_folder(e) else 1, e.get("name", "").casefold()))
        style = self.style()
        select = None
        for entry in shown:
            if self.folders and not is_folder(entry):
                continue
            item = QTreeWidgetItem([entry["name"], "" if entry.get("size") is None else fmt.size(entry["size"]),
                                    self._when(entry.get("mtime"))])
            kind = entry.get("type", "file")
            pixmap = LINK_ICONS.get(entry.get("target", ""), SP.SP_FileLinkIcon) if kind == "link" else \
                ICONS.get(kind, SP.SP_FileIcon)
            item.setIcon(0, style.standardIcon(pixmap))
            item.setData(0, ENTRY, entry)
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if entry.get("type") == "link":
                item.setToolTip(0, self.tr("A link to a {what}").format(
                    what=self.tr("folder") if is_folder(entry) else self.tr("file") if is_file(entry)
                    else self.tr("missing target")))
            self.entries.addTopLevelItem(item)
            if entry["name"] == self._select:
                select = item
        self._select = ""
        if select is not None:
            self.entries.setCurrentItem(select)
        self._update_buttons()

    @staticmethod
    def _when(mtime) -> str:
        if mtime is None:
            return ""
        return QLocale().toString(QDateTime.fromSecsSinceEpoch(int(mtime)), QLocale.FormatType.ShortFormat)

    # --- choosing ----------------------------------------------------------------------------------------------
    def names(self) -> list[str]:
        """The names listed now, in their order (folders first)."""
        return [self.entries.topLevelItem(i).text(0) for i in range(self.entries.topLevelItemCount())]

    def selected_entry(self) -> dict | None:
        item = self.entries.currentItem()
        return item.data(0, ENTRY) if item is not None and item.isSelected() else None

    def selected_path(self) -> str:
        """The file or folder that OK would choose ("" for none)."""
        entry = self.selected_entry()
        if self.folders:
            if entry is not None and is_folder(entry):
                return posixpath.join(self.folder, entry["name"])
            return self.folder
        if entry is not None and is_file(entry) and self.folder:
            return posixpath.join(self.folder, entry["name"])
        return ""

    def select(self, name: str) -> None:
        """Select the entry ``name`` of the folder shown."""
        for i in range(self.entries.topLevelItemCount()):
            item = self.entries.topLevelItem(i)
            if item.text(0) == name:
                self.entries.setCurrentItem(item)
                return

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        entry = item.data(0, ENTRY) or {}
        if is_folder(entry):
            self.go(posixpath.join(self.folder, entry["name"]))
        elif not self.folders and is_file(entry):
            self.accept()

    def _selection_changed(self) -> None:
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.up.setEnabled(bool(self._up_to))
        self.ok.setEnabled(bool(self.selected_path()))

    def accept(self) -> None:
        typed = self.path.text().strip()
        if self.path.hasFocus() and typed and typed != self.folder:
            return  # Enter in the folder field goes there (returnPressed); it does not choose the folder shown before
        path = self.selected_path()
        if not path:
            return
        self.chosen.emit(path)
        super().accept()
