"""Naming a widget as it is made: its object name (what tests and saved state find it by) and the name a screen
reader says."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtWidgets import QWidget

W = TypeVar("W", bound=QWidget)


def named(widget: W, name: str, accessible: str = "") -> W:
    """``widget`` with object name ``name`` and, if given, accessible name ``accessible`` (already translated)."""
    widget.setObjectName(name)
    if accessible:
        widget.setAccessibleName(accessible)
    return widget
