"""Render resources/icons/bulkhead.svg to the PNG sizes desktops look for (hicolor/<n>x<n>/apps/bulkhead.png).

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/icons.py          # write the PNGs
    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/icons.py --check  # exit 1 if one is missing or stale

Rendered with Qt's own SVG renderer (PySide6.QtSvg), so the PNGs look the same wherever they are made.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
SVG = ICONS / "bulkhead.svg"
SIZES = (16, 32, 48, 64, 128, 256)


def png_path(size: int) -> Path:
    return ICONS / "hicolor" / f"{size}x{size}" / "apps" / "bulkhead.png"


def render(size: int):
    """The icon at ``size`` pixels square, as a QImage (transparent outside the rounded square)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"icons: {SVG} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Render the application icon's PNG sizes from its SVG.")
    parser.add_argument("--check", action="store_true", help="only check that every size exists and is current")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication, QImage

    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])  # noqa: F841 - Qt wants one for fonts
    stale = []
    for size in SIZES:
        path = png_path(size)
        image = render(size)
        if args.check:
            if not path.exists() or QImage(str(path)).convertToFormat(image.format()) != image:
                stale.append(str(path.relative_to(ROOT)))
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(path), "PNG"):
            raise SystemExit(f"icons: could not write {path}")
        print(f"wrote {path.relative_to(ROOT)}")
    if stale:
        print("icons: missing or stale (run tools/icons.py): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
