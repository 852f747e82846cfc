"""The VM list: a table model over the host's VM dicts, refreshed from ``vm.list`` and patched by events.

CPU usage and the sparkline's last minute come from the host's ``metrics`` events (one bulk sample per tick, the
same data the Performance view draws), seeded from ``metrics_history``; nothing here recomputes them from counters.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from enum import IntEnum

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle

from core.model.states import CONFIG_ERROR
from gui import format as fmt
from gui.i18n import QT_TRANSLATE_NOOP, translate
from gui.models.base import ListTable, SortFilter
from gui.models.marks import badged
from gui.vmstates import state_text

HISTORY = 60  # samples in the sparkline (one a second: the last minute)
QUIET_AFTER = 5.0  # seconds without exits or CPU time before a running guest counts as silent


class Col(IntEnum):
    NAME = 0
    STATE = 1
    CPU = 2
    MEMORY = 3
    UPTIME = 4
    STATUS = 5
    OPERATION = 6
    CPU_GRAPH = 7
    HOST = 8  # shown when the list spans several hosts (a host group, All Hosts)


_CONTEXT = "VmTable"
HEADERS = {Col.NAME: QT_TRANSLATE_NOOP("VmTable", "Name"), Col.STATE: QT_TRANSLATE_NOOP("VmTable", "State"),
           Col.CPU: QT_TRANSLATE_NOOP("VmTable", "CPU Usage"),
           Col.MEMORY: QT_TRANSLATE_NOOP("VmTable", "Assigned Memory"),
           Col.UPTIME: QT_TRANSLATE_NOOP("VmTable", "Uptime"),
           Col.STATUS: QT_TRANSLATE_NOOP("VmTable", "Heartbeat/Status"),
           Col.OPERATION: QT_TRANSLATE_NOOP("VmTable", "Operation"),
           Col.CPU_GRAPH: QT_TRANSLATE_NOOP("VmTable", "CPU History"),
           Col.HOST: QT_TRANSLATE_NOOP("VmTable", "Host")}


def job_title(name: str) -> str:
    """A job's title in the console's language (gui.models.jobs lists the known ones; others show as they are)."""
    return translate("JobTitles", name) if name else name


def header_text(col: int) -> str:
    """A column's title in the console's language."""
    return translate(_CONTEXT, HEADERS[Col(col)])


WRAP_OVER = 20  # a title longer than this (characters) and with a space shows on two lines, broken near its middle


def header_lines(col: int) -> str:
    """A column's title as the header shows it: a long one ("Zugewiesener Arbeitsspeicher") on two lines, so the
    column is as wide as its figures need, not as its title."""
    text = header_text(col)
    if len(text) <= WRAP_OVER or " " not in text:
        return text
    middle = len(text) / 2
    cut = min((i for i, c in enumerate(text) if c == " "), key=lambda i: abs(i - middle))
    return text[:cut] + "\n" + text[cut + 1:]


# what a column must show whole, besides its title: its widest usual content
_SAMPLES = {Col.STATE: lambda: [state_text(s) for s in ("Running", "Off", "Paused", "Saved", "Critical")],
            Col.CPU: lambda: ["100 %"], Col.MEMORY: lambda: ["1023.9 MiB"], Col.UPTIME: lambda: ["00:00:00"]}
HEADER_PAD = 20  # the header's margins and the sort arrow
CELL_PAD = 14  # a cell's margins


def column_width(col: int, metrics) -> int:
    """The width column ``col`` needs in this language with the font of ``metrics`` (QFontMetrics): its title's
    widest line with the sort arrow, and its usual content."""
    title = max(metrics.horizontalAdvance(line) for line in header_lines(col).split("\n")) + HEADER_PAD
    content = max((metrics.horizontalAdvance(t) for t in _SAMPLES.get(Col(col), list)()), default=0) + CELL_PAD
    return max(title, content)

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
HISTORY_ROLE = Qt.ItemDataRole.UserRole + 3
PROGRESS_ROLE = Qt.ItemDataRole.UserRole + 4  # 0-100, or -1 when no operation runs
VM_ROLE = Qt.ItemDataRole.UserRole + 5
ALERT_ROLE = Qt.ItemDataRole.UserRole + 6  # the worst active alert's severity ("critical", "warning") or None
FINISHED_KEEP = 2000  # ids of finished jobs remembered, so a late answer cannot bring one back

_ICONS = {"Running": QStyle.StandardPixmap.SP_MediaPlay, "Paused": QStyle.StandardPixmap.SP_MediaPause,
          "Saved": QStyle.StandardPixmap.SP_DialogSaveButton, "Critical": QStyle.StandardPixmap.SP_MessageBoxWarning,
          CONFIG_ERROR: QStyle.StandardPixmap.SP_MessageBoxCritical}
_RUNNING = frozenset({"Running", "Paused", "Pausing", "Resuming", "Saving", "Stopping"})


_HEALTH_ICONS = {"Degraded": QStyle.StandardPixmap.SP_MessageBoxWarning,
                 "Critical": QStyle.StandardPixmap.SP_MessageBoxCritical}
@dataclass
class VmRow:
    id: str
    vm: dict
    cpu: float | None = None
    history: deque = field(default_factory=lambda: deque(maxlen=HISTORY))
    last_t: float = 0.0  # time of the last metrics sample taken
    first_t: float = 0.0  # time of the first live one (older history may be put in front of it)
    prev_activity: int | None = None
    last_activity: float = 0.0
    job: dict | None = None

    @property
    def name(self) -> str:
        return self.vm.get("name", self.id)

    @property
    def state(self) -> str:
        return self.vm.get("state", "")

    def sample(self, vm: dict, now: float) -> None:
        """A fresh ``vm.list`` entry. The CPU figure is the host's latest sample until metrics events bring more."""
        self.vm = vm
        if vm.get("state") not in _RUNNING:
            self.cpu = None
        elif not self.last_t and vm.get("cpu_percent") is not None:
            self.cpu = float(vm["cpu_percent"])
        counters = vm.get("counters") or None
        if counters:
            activity = sum((counters.get("exits") or {}).values()) + sum(counters.get("vcpu_cpu_ns") or [0])
        elif vm.get("activity") is not None:  # a brief list's stand-in
            activity = vm["activity"]
        else:
            self.prev_activity = None
            return
        if self.prev_activity is None or activity != self.prev_activity:
            self.last_activity = now
        self.prev_activity = activity

    def take(self, t: float, values: dict | None) -> None:
        """One tick of the host's metrics (None: the VM was not sampled, it is not running)."""
        if values is None:
            if self.state not in _RUNNING:
                self.cpu = None
                self.history.append(0.0)
            return
        if t <= self.last_t:
            return
        cpu = values.get("cpu_percent")
        self.last_t = t
        self.first_t = self.first_t or t
        if cpu is None:  # the first tick of a VM has no rate yet
            return
        self.cpu = float(cpu)
        self.history.append(self.cpu)

    def status(self, now: float) -> str:
        """Heartbeat/Status as Hyper-V shows it: a configuration error or Critical with its reason, else the
        heartbeat integration service (OK, No Contact, Lost Communication, Paused); a guest without it shows whether
        it is active at all (VM exits, CPU time)."""
        state = self.state
        vm = self.vm
        reason = vm.get("reason") or ""
        if state == CONFIG_ERROR:
            return reason
        if state == "Critical":
            return f"{state_text(state)}: {reason}" if reason else state_text(state)
        if vm.get("heartbeat"):
            text = vm["heartbeat"]
        elif state == "Running" and (vm.get("counters") or vm.get("activity") is not None):
            quiet = now - self.last_activity
            text = (translate("VmTable", "Active") if quiet < QUIET_AFTER
                    else translate("VmTable", "No activity for {seconds} s").format(seconds=int(quiet)))
        else:
            text = ""
        health = self.health()
        if vm.get("health") not in (None, "", "OK"):
            return f"{text}; {health}" if text else health
        return text

    def health(self) -> str:
        """OK, Degraded or Critical, with the reason."""
        health = self.vm.get("health") or ""
        reason = self.vm.get("health_reason") or ""
        return f"{health}: {reason}" if health and health != "OK" and reason else health


def _shown(row: VmRow) -> tuple:
    """What a row's cells show but its uptime, to tell whether a fresh vm.list entry changed any of them."""
    vm = row.vm
    return (vm.get("name"), vm.get("state"), vm.get("memory"), vm.get("heartbeat"), vm.get("health"),
            vm.get("health_reason"), vm.get("reason"), row.cpu, row.last_activity, bool(vm.get("counters")),
            vm.get("activity") is None)


class VmTableModel(ListTable):
    COLUMNS = Col

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[VmRow] = []
        self._index: dict[str, int] = {}
        self._icons: dict[str, object] = {}
        self._batch: set[int] | None = None
        self._finished: OrderedDict[int, None] = OrderedDict()  # ids of jobs seen finished
        self._alerts: dict[str, tuple[str, str]] = {}  # VM id -> (worst severity, the active alerts' messages)
        self.host_label = ""  # the Host column

    # --- reading ------------------------------------------------------------------------------------------------
    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return header_lines(section)
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            tip = _HEADER_TIPS.get(Col(section))
            return translate(_CONTEXT, tip) if tip else None
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, col)
        if role == SORT_ROLE:
            return self._sort_key(row, col)
        if role == ID_ROLE:
            return row.id
        if role == VM_ROLE:
            return row.vm
        if role == HISTORY_ROLE:
            return list(row.history)
        if role == PROGRESS_ROLE:
            return -1 if row.job is None or col != Col.OPERATION else int(row.job.get("progress") or 0)
        if role == Qt.ItemDataRole.DecorationRole and col == Col.NAME:
            alert = self._alerts.get(row.id)
            return self._icon(row.state) if alert is None else self._alert_icon(row.state, alert[0])
        if role == ALERT_ROLE:
            alert = self._alerts.get(row.id)
            return alert[0] if alert else None
        if role == Qt.ItemDataRole.DecorationRole and col == Col.STATUS:
            pix = _HEALTH_ICONS.get(row.vm.get("health") or "")
            return self._icon("health:" + row.vm.get("health", ""), pix) if pix is not None else None
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (Col.CPU, Col.MEMORY, Col.UPTIME):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, col)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if col == Col.CPU_GRAPH:
                return translate("VmTable", "CPU over the last minute, now {cpu}").format(
                    cpu=self._display(row, Col.CPU) or translate("VmTable", "not running"))
            return self._display(row, col)
        return None

    def _display(self, row: VmRow, col: int) -> str:
        vm = row.vm
        if col == Col.NAME:
            return row.name
        if col == Col.STATE:
            return state_text(row.state)
        if col == Col.CPU:
            return "" if row.cpu is None else f"{row.cpu:.0f} %"
        if col == Col.MEMORY:
            return fmt.size(vm.get("memory")) if row.state in _RUNNING else ""
        if col == Col.UPTIME:
            return fmt.uptime(vm.get("uptime"))
        if col == Col.STATUS:
            return row.status(time.monotonic())
        if col == Col.OPERATION:
            if row.job is None:
                return ""
            return f"{job_title(row.job.get('name', ''))} ({int(row.job.get('progress') or 0)} %)"
        if col == Col.HOST:
            return self.host_label
        return ""

    def _sort_key(self, row: VmRow, col: int):
        vm = row.vm
        if col == Col.NAME:
            return row.name.lower()
        if col == Col.STATE:
            return row.state
        if col in (Col.CPU, Col.CPU_GRAPH):
            return -1.0 if row.cpu is None else row.cpu
        if col == Col.MEMORY:
            return vm.get("memory", 0) if row.state in _RUNNING else 0
        if col == Col.UPTIME:
            return float(vm.get("uptime") or 0.0)
        if col == Col.STATUS:
            return row.status(time.monotonic())
        if col == Col.OPERATION:
            return -1 if row.job is None else int(row.job.get("progress") or 0)
        if col == Col.HOST:
            return self.host_label.lower()
        return 0

    def _tooltip(self, row: VmRow, col: int) -> str | None:
        if col == Col.STATUS:
            text = row.status(time.monotonic())
            tip = translate("VmTable", "Health: {health}").format(
                health=row.health() or translate("VmTable", "unknown"))
            if row.vm.get("heartbeat"):
                tip = translate("VmTable", "Heartbeat: {heartbeat}. {health}").format(heartbeat=row.vm["heartbeat"],
                                                                                    health=tip)
            elif row.state == "Running":
                tip = translate("VmTable", "{status}. No heartbeat from this guest (integration services off, or a "
                                          "guest without them): derived from its VM exits and CPU time. {health}"
                                ).format(status=text, health=tip)
            return tip
        if col == Col.NAME:
            tip = f"{row.name} ({state_text(row.state)})"
            tip += f": {row.vm.get('reason')}" if row.vm.get("reason") else ""
            alert = self._alerts.get(row.id)
            if alert is not None:
                tip += "\n" + translate("VmTable", "Active alert: {messages}").format(messages=alert[1])
            return tip
        if col == Col.OPERATION and row.job:
            return f"{job_title(row.job.get('name', ''))}: {row.job.get('state')}, {row.job.get('progress', 0)} % " \
                   f"{row.job.get('message') or ''}".strip()
        return None

    def _alert_icon(self, state: str, severity: str):
        key = f"alert:{severity}:{state}"
        icon = self._icons.get(key)
        if icon is None:
            base = self._icon(state)
            icon = badged(base, severity) if isinstance(base, QIcon) else base
            self._icons[key] = icon
        return icon

    def _icon(self, state: str, pix=None):
        icon = self._icons.get(state)
        if icon is None:
            app = QApplication.instance()
            pix = pix if pix is not None else _ICONS.get(state, QStyle.StandardPixmap.SP_MediaStop)
            icon = app.style().standardIcon(pix) if app is not None else None
            self._icons[state] = icon
        return icon

    # --- lookups -------------------------------------------------------------------------------------------------
    def vm(self, vm_id: str) -> dict | None:
        i = self._index.get(vm_id)
        return None if i is None else self._rows[i].vm

    def row_of(self, vm_id: str) -> VmRow | None:
        i = self._index.get(vm_id)
        return None if i is None else self._rows[i]

    def vms(self) -> list[dict]:
        return [r.vm for r in self._rows]

    def names(self) -> list[str]:
        return [r.name for r in self._rows]

    def index_of(self, vm_id: str, column: int = 0) -> QModelIndex:
        i = self._index.get(vm_id)
        return QModelIndex() if i is None else self.index(i, column)

    def name_of(self, vm_id: str) -> str:
        i = self._index.get(vm_id)
        return self._rows[i].name if i is not None else ""

    # --- changes -------------------------------------------------------------------------------------------------
    def apply_list(self, vms: list[dict], wall_ns: int | None = None) -> None:
        """Bring the rows in line with a full ``vm.list`` answer sampled at ``wall_ns`` (monotonic)."""
        wall_ns = time.monotonic_ns() if wall_ns is None else wall_ns
        now = wall_ns / 1e9  # monotonic, for "no activity for N s"
        wanted = {vm["id"]: vm for vm in vms}
        gone = [i for i, r in enumerate(self._rows) if r.id not in wanted]
        for i in reversed(gone):
            self.beginRemoveRows(QModelIndex(), i, i)
            del self._rows[i]
            self.endRemoveRows()
        if gone:
            self._reindex()
        changed = []
        for i, row in enumerate(self._rows):
            before = _shown(row)
            row.sample(wanted[row.id], now)
            if _shown(row) != before:
                changed.append(i)
        new = [vm for vm in vms if vm["id"] not in self._index]
        if new:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            for vm in new:
                row = VmRow(vm["id"], vm)
                row.sample(vm, now)
                self._rows.append(row)
            self._reindex()
            self.endInsertRows()
        # Only the rows whose cells show something new, and the Uptime column (it moves for every running VM): a
        # change spanning every row and column would make the sorting proxy sort and filter the whole list again
        # and the view repaint it, each refresh (issue 17: a thousand rows)
        self._emit_rows(changed)
        if self._rows:
            self.dataChanged.emit(self.index(0, Col.UPTIME), self.index(len(self._rows) - 1, Col.UPTIME))

    def apply_metrics(self, sample: dict) -> None:
        """One ``metrics`` event: CPU usage and the sparklines of every row, one dataChanged for all."""
        if not self._rows:
            return
        t = sample.get("t") or 0.0
        vms = sample.get("vms") or {}
        for row in self._rows:
            row.take(t, vms.get(row.id))
        if self._batch is not None:
            self._batch.update(range(len(self._rows)))
            return
        last = len(self._rows) - 1
        # two columns changed, not the whole row: the view repaints only those cells (the sparklines cost most)
        for col in (Col.CPU, Col.CPU_GRAPH):
            self.dataChanged.emit(self.index(0, col), self.index(last, col))

    def seed_history(self, histories: dict[str, tuple[list, list]]) -> None:
        """Start sparklines with the host's recorded CPU samples ({id: (times, values)}), older than any live one."""
        for vm_id, (times, values) in histories.items():
            i = self._index.get(vm_id)
            if i is None:
                continue
            row = self._rows[i]
            old = [(t, v) for t, v in zip(times, values) if v is not None and (not row.first_t or t < row.first_t)]
            if not old:
                continue
            live = list(row.history) if row.first_t else []
            row.history.clear()
            row.history.extend([v for _t, v in old] + live)
            if not row.last_t:
                row.last_t = old[-1][0]
                row.cpu = float(old[-1][1]) if row.state in _RUNNING else None
            self._row_changed(i)

    def _flush(self) -> None:
        if self._batch:
            self.end_batch()
            self._batch = set()

    def add(self, vm: dict) -> None:
        if vm.get("id") in self._index:
            self.update_vm(vm)
            return
        self._flush()
        n = len(self._rows)
        self.beginInsertRows(QModelIndex(), n, n)
        self._rows.append(VmRow(vm["id"], vm))
        self._index[vm["id"]] = n
        self.endInsertRows()

    def update_vm(self, vm: dict) -> None:
        """A changed VM (settings, a finished job's result): take its fields, keep the row's history."""
        i = self._index.get(vm.get("id"))
        if i is None:
            return
        row = self._rows[i]
        row.vm = {**row.vm, **{k: v for k, v in vm.items() if k != "counters"}}
        self._row_changed(i)

    def set_state(self, vm_id: str, state: str, reason: str = "") -> None:
        i = self._index.get(vm_id)
        if i is None:
            return
        row = self._rows[i]
        row.vm = {**row.vm, "state": state, "reason": reason}
        if state in ("Off", "Saved", "Critical"):
            row.vm["uptime"] = 0.0
            row.cpu = None
        elif state == "Paused":
            row.cpu = 0.0  # as the host lists a paused VM: not the last figure it had while it ran
        self._row_changed(i)

    def remove(self, vm_id: str) -> None:
        i = self._index.get(vm_id)
        if i is None:
            return
        self._flush()
        self.beginRemoveRows(QModelIndex(), i, i)
        del self._rows[i]
        self._reindex()
        self.endRemoveRows()

    def set_job(self, job: dict) -> None:
        """Show a running job in its VM's Operation column; a finished one clears it. A job once seen finished
        never shows again: the answer that started it may come after its events (a bulk action's last VM)."""
        jid = job.get("id")
        finished = job.get("state") in ("Completed", "Failed", "Cancelled")
        if finished and jid is not None:
            self._finished[jid] = None
            while len(self._finished) > FINISHED_KEEP:
                self._finished.popitem(last=False)
        i = self._index.get(job.get("target", ""))
        if i is None:
            return
        row = self._rows[i]
        if finished:
            if row.job is None or row.job.get("id") != jid:
                return
            row.job = None
        else:
            if jid in self._finished:
                return  # it has ended already: this is an older word about it
            if row.job is not None and row.job.get("id", 0) > job.get("id", 0):
                return  # an older job's late progress
            row.job = job
        self._row_changed(i)

    def job_finished(self, job_id: int) -> bool:
        return job_id in self._finished

    def set_alerts(self, alerts: dict[str, tuple[str, str]]) -> None:
        """The VMs with active alerts: {VM id: (worst severity, their messages)}; their rows get the alert mark."""
        if alerts == self._alerts:
            return
        changed = {k for k in set(alerts) | set(self._alerts) if alerts.get(k) != self._alerts.get(k)}
        self._alerts = dict(alerts)
        for vm_id in changed:
            i = self._index.get(vm_id)
            if i is not None:
                self.dataChanged.emit(self.index(i, Col.NAME), self.index(i, Col.NAME))

    def alert_of(self, vm_id: str) -> tuple[str, str] | None:
        return self._alerts.get(vm_id)

    def set_host_label(self, label: str) -> None:
        if label == self.host_label:
            return
        self.host_label = label
        if self._rows:
            self.dataChanged.emit(self.index(0, Col.HOST), self.index(len(self._rows) - 1, Col.HOST))

    def begin_batch(self) -> None:
        """Hold row-change signals until ``end_batch``: a burst of events then costs one dataChanged."""
        self._batch = set()

    def end_batch(self) -> None:
        rows, self._batch = self._batch, None
        if rows:
            self._emit_rows(sorted(rows))

    def _emit_rows(self, rows: list[int]) -> None:
        """dataChanged for whole rows, one signal per run of adjacent rows (``rows`` sorted)."""
        last = len(Col) - 1
        i = 0
        while i < len(rows):
            j = i
            while j + 1 < len(rows) and rows[j + 1] == rows[j] + 1:
                j += 1
            self.dataChanged.emit(self.index(rows[i], 0), self.index(rows[j], last))
            i = j + 1

    def _row_changed(self, i: int) -> None:
        if self._batch is not None:
            self._batch.add(i)
            return
        self.dataChanged.emit(self.index(i, 0), self.index(i, len(Col) - 1))

    def _reindex(self) -> None:
        self._index = {r.id: i for i, r in enumerate(self._rows)}


_HEADER_TIPS = {
    Col.CPU: QT_TRANSLATE_NOOP("VmTable", "Guest CPU time over wall time, per virtual processor, since the last "
                                          "refresh"),
    Col.MEMORY: QT_TRANSLATE_NOOP("VmTable", "Memory assigned to the running VM"),
    Col.STATUS: QT_TRANSLATE_NOOP("VmTable", "The guest's heartbeat (OK, No Contact, Lost Communication, Paused) and "
                                             "the VM's health (Degraded or Critical with the reason)"),
    Col.OPERATION: QT_TRANSLATE_NOOP("VmTable", "The job running on the VM, with its progress"),
    Col.CPU_GRAPH: QT_TRANSLATE_NOOP("VmTable", "CPU usage over the last minute"),
    Col.HOST: QT_TRANSLATE_NOOP("VmTable", "The host the virtual machine runs on"),
}


class VmFilterProxy(SortFilter):
    """Sorts by each column's natural value and keeps rows whose name or state contains the search text."""

    def __init__(self, parent=None) -> None:
        super().__init__(SORT_ROLE, parent)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._needle = ""
        self.match_host = False  # the Host column counts too (the list spans several hosts)

    def set_search(self, text: str) -> None:
        needle = text.strip().lower()
        if needle == self._needle:
            return
        with self.filter_change():
            self._needle = needle

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:
        if not self._needle:
            return True
        model = self.sourceModel()
        return any(self._needle in (model.index(source_row, col, source_parent).data(Qt.ItemDataRole.DisplayRole)
                                    or "").lower()
                   for col in ((Col.NAME, Col.STATE, Col.HOST) if self.match_host else (Col.NAME, Col.STATE)))
