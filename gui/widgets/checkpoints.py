"""The Checkpoints pane (Hyper-V Manager's): the selected VM's checkpoint tree, each checkpoint under its parent
and "Now" under the one the VM's current state descends from; take, apply, revert, rename and delete through the
named operations of ``gui.operations.checkpoints`` (off the GUI thread; the jobs show in the jobs strip)."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QLabel,
    QMessageBox,
    QStyle,
    QToolBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.model.names import validate_name
from gui.dialogs import messages
from gui.i18n import translate
from gui.operations import checkpoints as ck_ops
from gui.tasks import describe

ID_ROLE = Qt.ItemDataRole.UserRole
NOW = "\x00now"  # the "Now" item's id
APPLY, TAKE_AND_APPLY = "apply", "take_and_apply"


def ask_apply(parent: QWidget, vm: str, name: str, on_choice: Callable[[str], None]) -> QMessageBox:
    """Hyper-V's question before Apply: the current state is lost unless a checkpoint of it is taken first.
    ``on_choice`` gets "take_and_apply" or "apply" (nothing on Cancel). Opens window-modal, nothing waits."""
    return messages.ask(
        parent, QMessageBox.Icon.Question, translate("CheckpointsPane", "Apply Checkpoint"),
        translate("CheckpointsPane", "Do you want to take a checkpoint of {vm} before applying "
                  "{checkpoint}?").format(vm=vm, checkpoint=name),
        translate("CheckpointsPane", "If you do not, the virtual machine's current state is lost."),
        [(translate("CheckpointsPane", "Take Checkpoint and Apply"), QMessageBox.ButtonRole.AcceptRole,
          "take_and_apply", TAKE_AND_APPLY),
         (translate("CheckpointsPane", "Apply"), QMessageBox.ButtonRole.DestructiveRole, "apply", APPLY)],
        lambda value, _checked: on_choice(value), default=0, name="apply_checkpoint")


confirm = messages.confirm  # tests answer confirmations by replacing these two


class CheckpointsPane(QWidget):
    """``show_vm(session, vm)`` with the selected VM (or None); it reloads the tree when the VM changes, when its
    checkpoint count or "now" name changes (vm.changed), and when a job on the VM ends."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checkpoints_pane")
        self.session = None
        self.vm: dict | None = None
        self.tree_data: dict = {"checkpoints": [], "now": None}
        self.loads = 0
        self._signature: tuple | None = None
        self._able = (False, "")
        self.message = QLabel()
        self.message.setObjectName("checkpoints_message")
        self.message.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setObjectName("checkpoints_tree")
        self.tree.setAccessibleName(self.tr("Checkpoints"))
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels([self.tr("Checkpoint"), self.tr("Created"), self.tr("Kind")])
        self.tree.setColumnWidth(0, 260)
        self.tree.setColumnWidth(1, 150)
        self.tree.setEditTriggers(QTreeWidget.EditTrigger.EditKeyPressed)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.tree.currentItemChanged.connect(lambda *_: self._update_actions())
        self.tree.itemChanged.connect(self._item_renamed)
        style = self.style()
        SP = QStyle.StandardPixmap
        self._memory_icon = style.standardIcon(SP.SP_DialogSaveButton)  # saved memory
        self._disk_icon = style.standardIcon(SP.SP_DriveHDIcon)
        self._now_icon = style.standardIcon(SP.SP_MediaPlay)
        self.actions: dict[str, QAction] = {}
        specs = (("take", self.tr("Chec&kpoint"), SP.SP_DialogSaveButton, self.take),
                 ("apply", self.tr("&Apply..."), SP.SP_DialogApplyButton, self.apply),
                 ("revert", self.tr("Re&vert..."), SP.SP_BrowserReload, self.revert),
                 ("rename", self.tr("Rena&me..."), SP.SP_FileDialogDetailedView, self.start_rename),
                 ("remove", self.tr("&Delete Checkpoint..."), SP.SP_TrashIcon, lambda: self.remove(False)),
                 ("remove_subtree", self.tr("Delete Checkpoint &Subtree..."), SP.SP_DialogDiscardButton,
                  lambda: self.remove(True)))
        # a toolbar: where the pane is narrower than its buttons (German's longer words), the rest are under its
        # extension button instead of widening the pane and squeezing the Navigation pane
        buttons = QToolBar(self.tr("Checkpoints"))
        buttons.setObjectName("checkpoints_toolbar")
        buttons.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        buttons.setIconSize(QSize(16, 16))
        for key, text, icon, slot in specs:
            action = QAction(style.standardIcon(icon), text, self)
            action.setObjectName(f"checkpoint_{key}")
            action.triggered.connect(lambda _=False, f=slot: f())
            self.actions[key] = action
            buttons.addAction(action)
            buttons.widgetForAction(action).setObjectName(f"checkpoint_button_{key}")
            if key != "take":
                self.tree.addAction(action)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.tree, 1)
        self.show_vm(None, None)

    # --- what it shows -------------------------------------------------------------------------------------------
    def show_vm(self, session, vm: dict | None, count: int = 1) -> None:
        """The selected VM of ``session`` (None: nothing, or ``count`` VMs, selected)."""
        if session is not self.session:
            if self.session is not None:
                self.session.job_done.disconnect(self._job_done)
            self.session = session
            if session is not None:
                session.job_done.connect(self._job_done)
        same = vm is not None and self.vm is not None and vm.get("id") == self.vm.get("id")
        self.vm = vm
        self._able = session.can("checkpoints") if session is not None else (False, "")
        if vm is None:
            self._signature = None
            self._clear(self.tr("Select one virtual machine to see its checkpoints.") if count <= 1 else
                        self.tr("Checkpoints: select one virtual machine ({count} are selected).").format(
                            count=count))
            return
        if not self._able[0]:
            self._signature = None
            self._clear(self.tr("Checkpoints are not available on this host: {why}").format(why=self._able[1]))
            return
        signature = (vm.get("id"), vm.get("checkpoints"), vm.get("checkpoint"))
        if not same:
            self._clear(self.tr("Loading the checkpoints of {name}...").format(name=vm.get("name", "")))
        if signature != self._signature:
            self._signature = signature
            self.reload()
        else:
            self._update_actions()

    def reload(self) -> None:
        if self.session is None or self.vm is None or not self._able[0]:
            return
        vm_id = self.vm["id"]
        ck_ops.list_checkpoints(self.session, vm_id, owner=self).success(
            lambda tree, i=vm_id: self._loaded(i, tree)).failure(
            lambda e: self._set_message(self.tr("Cannot list checkpoints: {why}").format(why=describe(e)),
                                        error=True)).run()

    def _job_done(self, job: dict) -> None:
        if self.vm is not None and isinstance(job, dict) and job.get("target") == self.vm.get("id"):
            self.reload()

    def _clear(self, message: str) -> None:
        self.tree_data = {"checkpoints": [], "now": None}
        self.tree.blockSignals(True)
        self.tree.clear()
        self.tree.blockSignals(False)
        self._set_message(message)
        self._update_actions()

    def _set_message(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b00020;" if error else "")
        self.message.setVisible(bool(text))

    def _loaded(self, vm_id: str, tree: dict) -> None:
        if self.vm is None or self.vm.get("id") != vm_id:
            return
        self.loads += 1
        current = self.current_id()
        self.tree_data = tree
        items = {c["id"]: c for c in tree.get("checkpoints") or ()}
        now = tree.get("now")
        self.tree.blockSignals(True)
        self.tree.clear()
        made: dict[str, QTreeWidgetItem] = {}

        def add(parent, c: dict) -> None:
            item = QTreeWidgetItem(parent)
            item.setText(0, c.get("name", ""))
            item.setData(0, ID_ROLE, c["id"])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            item.setText(1, time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(c.get("created") or 0)))
            memory = bool(c.get("memory"))
            item.setIcon(0, self._memory_icon if memory else self._disk_icon)
            item.setText(2, self.tr("With memory") if memory else self.tr("Disk and configuration"))
            item.setToolTip(0, self.tr("{name}: taken {when}, {kind}").format(
                name=c.get("name", ""), when=item.text(1), kind=item.text(2).lower()))
            made[c["id"]] = item
            for child in c.get("children") or ():
                if child in items:
                    add(item, items[child])

        for c in items.values():
            if c.get("parent") not in items:
                add(self.tree, c)
        now_item = QTreeWidgetItem(made[now] if now in made else self.tree)
        now_item.setText(0, self.tr("Now"))
        now_item.setData(0, ID_ROLE, NOW)
        now_item.setIcon(0, self._now_icon)
        now_item.setToolTip(0, self.tr("The virtual machine's current state"))
        font = now_item.font(0)
        font.setBold(True)
        now_item.setFont(0, font)
        self.tree.expandAll()
        self.tree.blockSignals(False)
        self.select(current if current in made else NOW)
        self._set_message("" if items else self.tr("{name} has no checkpoints. Checkpoint keeps its configuration "
                                                   "and disks (and memory, when it runs) to go back to later.")
                          .format(name=self.vm.get("name", "")))
        self._update_actions()

    # --- reading it ----------------------------------------------------------------------------------------------
    def item_of(self, ck_id: str) -> QTreeWidgetItem | None:
        it = self.tree.invisibleRootItem()
        stack = [it.child(i) for i in range(it.childCount())]
        while stack:
            item = stack.pop()
            if item.data(0, ID_ROLE) == ck_id:
                return item
            stack.extend(item.child(i) for i in range(item.childCount()))
        return None

    def current_id(self) -> str | None:
        item = self.tree.currentItem()
        return item.data(0, ID_ROLE) if item is not None else None

    def current_checkpoint(self) -> dict | None:
        cid = self.current_id()
        return next((c for c in self.tree_data.get("checkpoints") or () if c["id"] == cid), None)

    def select(self, ck_id: str | None) -> None:
        item = self.item_of(ck_id) if ck_id else None
        if item is not None:
            self.tree.setCurrentItem(item)

    def _name_of(self, ck_id: str | None) -> str:
        return next((c.get("name", "") for c in self.tree_data.get("checkpoints") or () if c["id"] == ck_id), "")

    def _update_actions(self) -> None:
        able, why = self._able
        vm = self.vm
        ck = self.current_checkpoint()
        has_now_parent = bool(self.tree_data.get("now"))
        if vm is None:
            reason = self.tr("select one virtual machine")
        elif not able:
            reason = why
        else:
            reason = ""
        tips = {"take": self.tr("Take a checkpoint of {name}"), "apply": self.tr("Go back to {checkpoint}: the "
                "current state is lost unless you take a checkpoint first"),
                "revert": self.tr("Go back to the checkpoint the current state of {name} descends from"),
                "rename": self.tr("Rename {checkpoint}"), "remove": self.tr("Delete {checkpoint}; its disk data is "
                                                                            "merged where it belongs"),
                "remove_subtree": self.tr("Delete {checkpoint} and every checkpoint under it")}
        for key, action in self.actions.items():
            needs_ck = key not in ("take", "revert")
            if reason:
                enabled, tip = False, self.tr("{action}: {why}").format(action=_plain(action), why=reason)
            elif needs_ck and ck is None:
                enabled, tip = False, self.tr("{action}: select a checkpoint in the tree").format(
                    action=_plain(action))
            elif key == "revert" and not has_now_parent:
                enabled, tip = False, self.tr("{action}: {name} has no checkpoint to go back to").format(
                    action=_plain(action), name=vm.get("name", ""))
            else:
                enabled, tip = True, tips[key].format(name=vm.get("name", ""), checkpoint=ck.get("name", "")
                                                      if ck else "")
            action.setEnabled(enabled)
            action.setToolTip(tip)
            action.setStatusTip(tip)

    # --- acting --------------------------------------------------------------------------------------------------
    def _vm_name(self) -> str:
        return self.vm.get("name", "") if self.vm else ""

    def _failed(self, error: BaseException) -> None:
        if self.session is not None:
            self.session.report_error(self.tr("Checkpoints"), f"{self._vm_name()}: {describe(error)}")

    def take(self) -> None:
        if self.actions["take"].isEnabled():
            ck_ops.take(self.session, self.vm["id"], owner=self, target=self._vm_name()).run()

    def apply(self) -> None:
        ck = self.current_checkpoint()
        if ck is None or not self.actions["apply"].isEnabled():
            return
        vm_id, cid, session = self.vm["id"], ck["id"], self.session

        def chosen(answer: str) -> None:
            op = ck_ops.take_and_apply if answer == TAKE_AND_APPLY else ck_ops.apply
            op(session, vm_id, cid, owner=self, target=self._vm_name()).run()

        ask_apply(self, self._vm_name(), ck.get("name", ""), chosen)

    def revert(self) -> None:
        if not self.actions["revert"].isEnabled():
            return
        vm_id, session = self.vm["id"], self.session
        name = self._name_of(self.tree_data.get("now"))
        confirm(self, self.tr("Revert Virtual Machine"),
                self.tr("Are you sure you want to revert {vm} to {checkpoint}?").format(vm=self._vm_name(),
                                                                                      checkpoint=name),
                self.tr("The virtual machine's current state is lost."), self.tr("Revert"),
                lambda: ck_ops.revert(session, vm_id, owner=self, target=self._vm_name()).run())

    def start_rename(self) -> None:
        item = self.item_of(self.current_id()) if self.current_checkpoint() is not None else None
        if item is not None and self.actions["rename"].isEnabled():
            self.tree.editItem(item, 0)

    def _item_renamed(self, item: QTreeWidgetItem, column: int) -> None:
        cid = item.data(0, ID_ROLE)
        if column != 0 or cid == NOW:
            return
        old = self._name_of(cid)
        if item.text(0) != old:
            self.rename(cid, item.text(0))

    def rename(self, ck_id: str, name: str) -> bool:
        """Rename a checkpoint; a name that cannot be is refused here, said under the buttons."""
        old = self._name_of(ck_id)
        try:
            name = validate_name(name.strip(), what="a checkpoint name") if name.strip() else ""
        except Exception as e:  # noqa: BLE001 - a UsageError, said as it is
            problem = describe(e)
        else:
            problem = "" if name else self.tr("A checkpoint needs a name.")
        if problem:
            self._restore_name(ck_id, old)
            self._set_message(self.tr("Not renamed: {why}").format(why=problem), error=True)
            return False
        if name == old:
            return False
        vm_id = self.vm["id"]
        ck_ops.rename(self.session, vm_id, ck_id, name, owner=self, target=self._vm_name()).failure(
            lambda e: (self._restore_name(ck_id, old), self._set_message(
                self.tr("Not renamed: {why}").format(why=describe(e)), error=True))).run()
        return True

    def _restore_name(self, ck_id: str, name: str) -> None:
        item = self.item_of(ck_id)
        if item is not None:
            self.tree.blockSignals(True)
            item.setText(0, name)
            self.tree.blockSignals(False)

    def remove(self, subtree: bool) -> None:
        key = "remove_subtree" if subtree else "remove"
        ck = self.current_checkpoint()
        if ck is None or not self.actions[key].isEnabled():
            return
        vm_id, cid, session = self.vm["id"], ck["id"], self.session
        if subtree:
            title = self.tr("Delete Checkpoint Subtree")
            text = self.tr("Are you sure you want to delete {checkpoint} and every checkpoint under it?").format(
                checkpoint=ck.get("name", ""))
            label = self.tr("Delete Subtree")
        else:
            title = self.tr("Delete Checkpoint")
            text = self.tr("Are you sure you want to delete {checkpoint}?").format(checkpoint=ck.get("name", ""))
            label = self.tr("Delete")
        confirm(self, title, text, self.tr("This cannot be undone; the disk data the virtual machine still needs "
                                           "is merged into its disks."), label,
                lambda: ck_ops.remove(session, vm_id, cid, subtree=subtree, owner=self,
                                      target=self._vm_name()).run())


def _plain(action: QAction) -> str:
    return action.text().replace("&", "").rstrip(".")
