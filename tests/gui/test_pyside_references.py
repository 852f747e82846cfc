"""PySide6 6.12 returns None, True and False without taking a reference; on Python 3.11, where they are not
immortal, a busy console then aborts ("none_dealloc", "bool_dealloc"). pyproject.toml keeps such versions out;
this test fails if one comes back."""

import sys

import pytest
from PySide6.QtCore import QModelIndex, QObject, Signal


class _Emitter(QObject):
    fired = Signal()


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None, True and False are immortal from Python 3.12")
def test_pyside_keeps_the_reference_counts_of_none_true_and_false():
    emitter = _Emitter()
    before = sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)
    for _ in range(200):
        QModelIndex().data()
        emitter.fired.emit()
    after = sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)
    assert all(a >= b - 5 for a, b in zip(after, before)), f"reference counts fell: {before} -> {after}"
