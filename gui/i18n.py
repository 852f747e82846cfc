"""Translation: every string the console shows goes through Qt's translation call.

In a QObject subclass that is ``self.tr("...")``; in module-level code (and Qt-free helpers such as
``gui.vmstates``) it is ``translate("Context", "...")`` from here. Tables built at import time hold
``QT_TRANSLATE_NOOP("Context", "...")`` markers and are translated where they are shown, so a translator installed
after the import still applies. Placeholders are named (``"Start {names}"``) and filled in after translation.

``tools/translations.py`` collects the strings (``pyside6-lupdate``) into ``resources/i18n/bulkhead_<lang>.ts`` and
makes the ``.qm`` files (``pyside6-lrelease``) that ``install`` loads. The language is, first to last: the one given
(``bulkhead console --lang de``), ``BULKHEAD_LANG``, the console's saved preference (``gui.persist.language``), the
system's locale; "system" anywhere stands for the system's locale.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLibraryInfo, QLocale, QTranslator

from resources import ROOT as RESOURCES

__all__ = ["I18N_DIR", "QT_TRANSLATE_NOOP", "install", "is_language", "translate"]

log = logging.getLogger(__name__)
I18N_DIR = RESOURCES / "i18n"
ENV = "BULKHEAD_LANG"


def translate(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """``text`` in the console's language (the text itself when there is no translation)."""
    return QCoreApplication.translate(context, text, disambiguation, n)


_LANGUAGE = re.compile(r"[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*")


def is_language(lang: str) -> bool:
    """Whether ``lang`` reads as a language tag (de, de_AT, pt-BR, en) or "system"."""
    return lang == "system" or bool(_LANGUAGE.fullmatch(lang))


def locale(lang: str | None = None) -> QLocale:
    """The language to show: ``lang``, else BULKHEAD_LANG, else the saved preference, else the system's."""
    lang = (lang or "").strip() or os.environ.get(ENV, "").strip()
    if not lang:
        from gui import persist

        lang = persist.language()
    return QLocale(lang) if lang and lang != "system" else QLocale.system()


def install(app: QCoreApplication, lang: str | None = None, folder: Path | None = None) -> list[QTranslator]:
    """Load Bulkhead's translation for the language (``bulkhead_de.qm``, ``bulkhead_de_AT.qm`` ...) and Qt's own
    (standard buttons and dialogs) when present; English, the source language, needs none. Returns what was
    installed (kept alive by the application as its children)."""
    where = locale(lang)
    QLocale.setDefault(where)  # numbers as the language writes them (12,5 s in German): gui.format.decimal
    installed = []
    for name, path in (("bulkhead", str(folder or I18N_DIR)),
                       ("qtbase", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))):
        translator = QTranslator(app)
        if translator.load(where, name, "_", path):
            app.installTranslator(translator)
            installed.append(translator)
        elif name == "bulkhead" and where.language() != QLocale.Language.English:
            log.info("no console translation for %s in %s", where.name(), path)
    return installed
