"""The read-only, row-selecting table every list in the console uses."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QTableView


def list_table(name: str, accessible_name: str, model, sort_column: int, order: Qt.SortOrder,
               row_padding: int = 8) -> QTableView:
    """A sortable table of whole-row, multi-select items that cannot be edited in place."""
    table = QTableView()
    table.setObjectName(name)
    table.setAccessibleName(accessible_name)
    table.setModel(model)
    table.setSortingEnabled(True)
    table.sortByColumn(sort_column, order)
    style_list(table, QAbstractItemView.SelectionMode.ExtendedSelection, row_padding)
    return table


def style_list(table: QTableView, selection: QAbstractItemView.SelectionMode, row_padding: int = 8) -> None:
    """Whole-row selection (``selection``: single or extended), no editing in place, alternating rows, no grid, no
    row numbers, rows a line of text high plus ``row_padding``."""
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(selection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + row_padding)
