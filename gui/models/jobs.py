"""Running and recent jobs, newest first, kept current by job events."""

from __future__ import annotations

import time
from collections.abc import Callable
from enum import IntEnum

from PySide6.QtCore import QModelIndex, Qt

from gui import format as fmt
from gui.i18n import QT_TRANSLATE_NOOP, translate
from gui.models.base import ListTable
from gui.models.vm_table import PROGRESS_ROLE

KEEP = 100
FINISHED = ("Completed", "Failed", "Cancelled")
JOB_ROLE = Qt.ItemDataRole.UserRole + 10
JOB_SORT_ROLE = Qt.ItemDataRole.UserRole + 11  # newest first across hosts: when it was created
# a job's state as the host names it, translated where it is shown
JOB_STATES = frozenset((QT_TRANSLATE_NOOP("JobsModel", "Queued"), QT_TRANSLATE_NOOP("JobsModel", "Running"),
                        QT_TRANSLATE_NOOP("JobsModel", "Completed"), QT_TRANSLATE_NOOP("JobsModel", "Failed"),
                        QT_TRANSLATE_NOOP("JobsModel", "Cancelled")))


# the titles the hosts give their jobs (core.model.methods titles and the hosts' own job calls), translated where
# they are shown; a title not here (a newer host's) shows as the host gives it
JOB_TITLES = frozenset((
    QT_TRANSLATE_NOOP("JobTitles", "Apply checkpoint"),
    QT_TRANSLATE_NOOP("JobTitles", "Change VM settings"), QT_TRANSLATE_NOOP("JobTitles", "Convert VM"),
    QT_TRANSLATE_NOOP("JobTitles", "Convert physical server"), QT_TRANSLATE_NOOP("JobTitles", "Create checkpoint"),
    QT_TRANSLATE_NOOP("JobTitles", "Delete checkpoint"), QT_TRANSLATE_NOOP("JobTitles", "Delete checkpoint subtree"),
    QT_TRANSLATE_NOOP("JobTitles", "Export VM"), QT_TRANSLATE_NOOP("JobTitles", "Export VM as OVA"),
    QT_TRANSLATE_NOOP("JobTitles", "Import VM"), QT_TRANSLATE_NOOP("JobTitles", "Migrate VM"),
    QT_TRANSLATE_NOOP("JobTitles", "Move VM storage"),
    QT_TRANSLATE_NOOP("JobTitles", "Move VM to another Bulkhead host"), QT_TRANSLATE_NOOP("JobTitles", "New VM"),
    QT_TRANSLATE_NOOP("JobTitles", "New virtual hard disk"), QT_TRANSLATE_NOOP("JobTitles", "New virtual switch"),
    QT_TRANSLATE_NOOP("JobTitles", "Pause VM"), QT_TRANSLATE_NOOP("JobTitles", "Remove VM"),
    QT_TRANSLATE_NOOP("JobTitles", "Remove virtual switch"), QT_TRANSLATE_NOOP("JobTitles", "Rename checkpoint"),
    QT_TRANSLATE_NOOP("JobTitles", "Rename virtual switch"), QT_TRANSLATE_NOOP("JobTitles", "Reset VM"),
    QT_TRANSLATE_NOOP("JobTitles", "Resolve an unconfirmed move"), QT_TRANSLATE_NOOP("JobTitles", "Resolve VM move"),
    QT_TRANSLATE_NOOP("JobTitles", "Resume VM"), QT_TRANSLATE_NOOP("JobTitles", "Revert VM"),
    QT_TRANSLATE_NOOP("JobTitles", "Save VM"), QT_TRANSLATE_NOOP("JobTitles", "Set KVP"),
    QT_TRANSLATE_NOOP("JobTitles", "Set a key-value pair"), QT_TRANSLATE_NOOP("JobTitles", "Shut down VM"),
    QT_TRANSLATE_NOOP("JobTitles", "Start VM"), QT_TRANSLATE_NOOP("JobTitles", "Stop VM"),
    QT_TRANSLATE_NOOP("JobTitles", "Turn off VM")))


def job_title(name: str) -> str:
    """A job's title in the console's language (the host's English one when it is not a known title)."""
    return translate("JobTitles", name) if name in JOB_TITLES else name


def job_state_text(state: str) -> str:
    return translate("JobsModel", state) if state in JOB_STATES else state


def job_message(job: dict) -> str:
    """What a job says now. A finished job says how it ended, not the last step it reported while it ran (a New VM
    that started its VM would still say "starting")."""
    state = job.get("state")
    if state == "Failed":
        return job.get("error") or translate("JobsModel", "Failed")
    if state == "Cancelled":
        return translate("JobsModel", "Cancelled") + (f": {job['error']}" if job.get("error") else "")
    if state == "Completed":
        started, ended = job.get("started"), job.get("ended")
        if started and ended:
            seconds = fmt.decimal(max(0.0, ended - started), 2)
            return translate("JobsModel", "Completed in {seconds} s").format(seconds=seconds)
        return translate("JobsModel", "Completed")
    return job.get("message") or ""


class JobCol(IntEnum):
    NAME = 0
    TARGET = 1
    STATE = 2
    PROGRESS = 3
    STARTED = 4
    MESSAGE = 5


HEADERS = {JobCol.NAME: QT_TRANSLATE_NOOP("JobsModel", "Job"), JobCol.TARGET: QT_TRANSLATE_NOOP("JobsModel", "Target"),
           JobCol.STATE: QT_TRANSLATE_NOOP("JobsModel", "Status"),
           JobCol.PROGRESS: QT_TRANSLATE_NOOP("JobsModel", "Progress"),
           JobCol.STARTED: QT_TRANSLATE_NOOP("JobsModel", "Started"),
           JobCol.MESSAGE: QT_TRANSLATE_NOOP("JobsModel", "Details")}


# what a column must show whole, besides its title: the usual titles and states (the Details column takes the rest)
_SAMPLES = {JobCol.NAME: ("New VM", "Start VM", "Shut down VM", "Turn off VM", "Pause VM", "Resume VM", "Save VM"),
            JobCol.STATE: tuple(JOB_STATES)}
NAME_MAX = 260  # a longer title is elided (its tooltip and the details show it whole)


def column_width(col: int, metrics) -> int:
    """The width column ``col`` of the jobs list needs in this language with the font of ``metrics``: its title
    with the sort arrow, and its usual content (job titles up to NAME_MAX)."""
    title = metrics.horizontalAdvance(translate("JobsModel", HEADERS[JobCol(col)])) + 22
    texts = [job_title(t) if col == JobCol.NAME else job_state_text(t) for t in _SAMPLES.get(JobCol(col), ())]
    content = max((metrics.horizontalAdvance(t) for t in texts), default=0) + 14
    return min(max(title, content), NAME_MAX)


class JobsModel(ListTable):
    COLUMNS = JobCol

    def __init__(self, vm_name: Callable[[str], str] | None = None, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[dict] = []
        self._vm_name = vm_name or (lambda _id: "")
        self._names: dict[str, str] = {}  # VM id -> last known name (the VM may be gone)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return translate("JobsModel", HEADERS[JobCol(section)])
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        job = self._rows[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(job, col)
        if role == PROGRESS_ROLE:
            return int(job.get("progress") or 0) if col == JobCol.PROGRESS else -1
        if role == JOB_ROLE:
            return job
        if role == JOB_SORT_ROLE:
            return float(job.get("created") or job.get("started") or 0.0)
        if role == Qt.ItemDataRole.ToolTipRole:
            if job.get("error"):
                return job["error"]
            return self.tr("Double-click for details")
        return None

    def _display(self, job: dict, col: int) -> str:
        if col == JobCol.NAME:
            return job_title(job.get("name", ""))
        if col == JobCol.TARGET:
            return self.target_name(job)
        if col == JobCol.STATE:
            return job_state_text(job.get("state", ""))
        if col == JobCol.PROGRESS:
            return f"{int(job.get('progress') or 0)} %"
        if col == JobCol.STARTED:
            t = job.get("started") or job.get("created")
            return time.strftime("%H:%M:%S", time.localtime(t)) if t else ""
        if col == JobCol.MESSAGE:
            return job_message(job)
        return ""

    def target_name(self, job: dict) -> str:
        target = job.get("target", "")
        name = job.get("target_name") or self._vm_name(target) or self._names.get(target, "")
        if name:
            self._names[target] = name
        return name or target[:8]

    def jobs(self) -> list[dict]:
        return list(self._rows)

    def job(self, job_id) -> dict | None:
        return next((j for j in self._rows if j.get("id") == job_id), None)

    def active(self) -> list[dict]:
        return [j for j in self._rows if j.get("state") not in FINISHED]

    def reset_jobs(self, jobs: list[dict]) -> None:
        self.beginResetModel()
        self._rows = sorted(jobs, key=lambda j: -int(j.get("id", 0)))[:KEEP]
        for j in self._rows:
            self.target_name(j)
        self.endResetModel()

    def upsert_many(self, jobs: list[dict]) -> None:
        """A burst of job events: updates in place with one dataChanged, new jobs in one insertion at the top."""
        latest: dict[int, dict] = {}
        for job in jobs:
            latest[job.get("id")] = {**latest.get(job.get("id"), {}), **job}
        rows = {j.get("id"): i for i, j in enumerate(self._rows)}
        changed = []
        for jid, job in list(latest.items()):
            i = rows.get(jid)
            if i is None:
                continue
            del latest[jid]
            existing = self._rows[i]
            if existing.get("state") in FINISHED and job.get("state") not in FINISHED:
                continue  # a late progress event after the end
            self._rows[i] = {**existing, **job}
            changed.append(i)
        if changed:
            self.dataChanged.emit(self.index(min(changed), 0), self.index(max(changed), len(JobCol) - 1))
        new = sorted(latest.values(), key=lambda j: -int(j.get("id") or 0))
        top = int(self._rows[0].get("id") or 0) if self._rows else -1
        if new and int(new[-1].get("id") or 0) > top:
            for job in new:
                self.target_name(job)
            self.beginInsertRows(QModelIndex(), 0, len(new) - 1)
            self._rows[0:0] = new
            self.endInsertRows()
        else:
            for job in new:
                self.upsert(job)
        if len(self._rows) > KEEP:
            self.beginRemoveRows(QModelIndex(), KEEP, len(self._rows) - 1)
            del self._rows[KEEP:]
            self.endRemoveRows()

    def upsert(self, job: dict) -> None:
        jid = job.get("id")
        for i, existing in enumerate(self._rows):
            if existing.get("id") == jid:
                if existing.get("state") in FINISHED and job.get("state") not in FINISHED:
                    return  # a late progress event after the end
                self._rows[i] = {**existing, **job}
                self.dataChanged.emit(self.index(i, 0), self.index(i, len(JobCol) - 1))
                return
        self.target_name(job)
        pos = 0
        while pos < len(self._rows) and int(self._rows[pos].get("id", 0)) > int(jid or 0):
            pos += 1
        self.beginInsertRows(QModelIndex(), pos, pos)
        self._rows.insert(pos, job)
        self.endInsertRows()
        if len(self._rows) > KEEP:
            self.beginRemoveRows(QModelIndex(), KEEP, len(self._rows) - 1)
            del self._rows[KEEP:]
            self.endRemoveRows()
