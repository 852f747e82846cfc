"""Where the console remembers window layout, splitter sizes and column choices (QSettings), and its language.

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


LANGUAGE = "console/language"


def language() -> str:
    """The console's saved language ("de", "en" ...); empty: follow the system (or BULKHEAD_LANG)."""
    value = settings().value(LANGUAGE, "")
    return value.strip() if isinstance(value, str) else ""


def set_language(lang: str | None) -> None:
    """Remember the console's language for the next start; None or "" (or "system") follows the system again."""
    s = settings()
    if lang and lang.strip() and lang.strip() != "system":
        s.setValue(LANGUAGE, lang.strip())
    else:
        s.remove(LANGUAGE)
    s.sync()
