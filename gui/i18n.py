"""Translation: every string the console shows goes through Qt's translation call.

In a QObject subclass that is ``self.tr("...")``; in module-level code (and Qt-free helpers such as
``gui.vmstates``) it is ``translate("Context", "...")`` from here. Tables built at import time hold
``QT_TRANSLATE_NOOP("Context", "...")`` markers and are translated where they are shown, so a translator installed
after the import still applies. Placeholders are named (``"Start {names}"``) and filled in after translation.

``pyside6-lupdate`` collects the strings into ``resources/i18n/bulkhead_<lang>.ts``; ``pyside6-lrelease`` makes the
``.qm`` files that ``install`` loads for the system locale (``BULKHEAD_LANG=de`` chooses another).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLibraryInfo, QLocale, QTranslator

from resources import ROOT as RESOURCES

__all__ = ["I18N_DIR", "QT_TRANSLATE_NOOP", "install", "translate"]

log = logging.getLogger(__name__)
I18N_DIR = RESOURCES / "i18n"
ENV = "BULKHEAD_LANG"


def translate(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """``text`` in the console's language (the text itself when there is no translation)."""
    return QCoreApplication.translate(context, text, disambiguation, n)


def locale(lang: str | None = None) -> QLocale:
    """The language to show: ``lang``, else BULKHEAD_LANG, else the system's."""
    lang = lang or os.environ.get(ENV, "").strip()
    return QLocale(lang) if lang else QLocale.system()


def install(app: QCoreApplication, lang: str | None = None, folder: Path | None = None) -> list[QTranslator]:
    """Load Bulkhead's translation for the language (``bulkhead_de.qm``, ``bulkhead_de_AT.qm`` ...) and Qt's own
    (standard buttons and dialogs) when present; English, the source language, needs none. Returns what was
    installed (kept alive by the application as its children)."""
    where = locale(lang)
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
