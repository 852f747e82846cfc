"""What the console's list models share: a flat table of rows and columns, and the sorting, filtering proxy in
front of it (sorted by each column's natural value, a sort role; kept sorted as rows change; a way to change what the
filter accepts)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import IntEnum

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel


class ListTable(QAbstractTableModel):
    """A table whose rows are the items of the list ``_rows``, one column per member of ``COLUMNS``."""

    COLUMNS: type[IntEnum]
    _rows: list

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)


class SortFilter(QSortFilterProxyModel):
    def __init__(self, sort_role: int, parent=None) -> None:
        super().__init__(parent)
        self.setSortRole(sort_role)
        self.setDynamicSortFilter(True)

    @contextmanager
    def filter_change(self) -> Iterator[None]:
        """Change what ``filterAcceptsRow`` accepts inside this block; the rows are filtered again after it."""
        if hasattr(self, "beginFilterChange"):  # Qt 6.10+
            self.beginFilterChange()
            yield
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            yield
            self.invalidateFilter()
