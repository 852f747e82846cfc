"""Where the console remembers window layout, splitter sizes and column choices (QSettings).

``BULKHEAD_GUI_SETTINGS`` names an INI file to use instead of the per-user default (tests point it at a temporary
folder so they never read or write a person's real settings).
"""

from __future__ import annotations

import os

from PySide6.QtCore import QSettings


def settings() -> QSettings:
    path = os.environ.get("BULKHEAD_GUI_SETTINGS")
    if path:
        return QSettings(path, QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "bulkhead", "console")
