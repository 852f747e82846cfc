"""The jobs strip: running and recent jobs with progress bars; double-click (or Enter) for details and errors."""

from __future__ import annotations

from PySide6.QtCore import QAbstractProxyModel, QConcatenateTablesProxyModel, QModelIndex, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from gui.models.jobs import JOB_ROLE, JobCol, JobsModel, column_width
from gui.widgets.delegates import ProgressDelegate
from gui.widgets.tables import style_list


class JobsStrip(QTableView):
    job_activated = Signal(object, object)  # the job dict, the JobsModel it is in (that host's)

    def __init__(self, model: JobsModel, parent=None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setObjectName("jobs")
        self.setAccessibleName(self.tr("Jobs: running and recent operations"))
        style_list(self, QAbstractItemView.SelectionMode.SingleSelection)
        self.setItemDelegateForColumn(JobCol.PROGRESS, ProgressDelegate(self))
        header = self.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, width in ((JobCol.NAME, 170), (JobCol.TARGET, 140), (JobCol.STATE, 90), (JobCol.PROGRESS, 140),
                           (JobCol.STARTED, 80)):
            self.setColumnWidth(col, max(width, column_width(col, header.fontMetrics())))  # as the language needs
        self.activated.connect(self._activated)

    def setModel(self, model) -> None:
        if model is self.model():
            return
        state = self.horizontalHeader().saveState() if self.model() is not None else None
        super().setModel(model)
        if state is not None:
            self.horizontalHeader().restoreState(state)

    def _activated(self, index: QModelIndex) -> None:
        source = index
        while isinstance(source.model(), (QAbstractProxyModel, QConcatenateTablesProxyModel)):  # several hosts' jobs
            source = source.model().mapToSource(source)
        self.job_activated.emit(index.data(JOB_ROLE), source.model())
