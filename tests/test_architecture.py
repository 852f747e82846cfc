"""The boundaries docs/architecture.md promises."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QT = ("PySide6", "shiboken6", "pyqtgraph", "PyQt5", "PyQt6", "qtpy")


def test_core_never_imports_qt():
    offenders = []
    for path in (ROOT / "core").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders += [f"{path.relative_to(ROOT)}: {n}" for n in names if n.split(".")[0] in QT]
    assert not offenders, offenders


def test_gui_does_not_reach_into_the_engine():
    offenders = []
    for path in (ROOT / "gui").rglob("*.py"):
        text = path.read_text()
        if "core.engine" in text or "core.local" in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, offenders
