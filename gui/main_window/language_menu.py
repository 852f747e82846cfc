"""View > Language: the console's language, saved for its next start (gui.persist.language; ``--lang`` and
BULKHEAD_LANG still come first). Each language is named in itself, as language menus do."""

from __future__ import annotations

from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu

from gui import persist
from gui.i18n import translate

LANGUAGES = (("en", "English"), ("de", "Deutsch"))  # the console's translations (resources/i18n) and its source


def add_language_menu(window, parent: QMenu) -> QMenu:
    menu = parent.addMenu(translate("LanguageMenu", "&Language"))
    menu.setObjectName("menu_language")
    group = QActionGroup(menu)
    group.setExclusive(True)
    saved = persist.language().split("_")[0]
    choices = [("", translate("LanguageMenu", "Follow the System"))] + list(LANGUAGES)
    for code, label in choices:
        action = QAction(label, menu, checkable=True)
        action.setObjectName(f"action_language_{code or 'system'}")
        action.setChecked(code == saved)
        action.triggered.connect(lambda _checked=False, c=code, name=label: _choose(window, c, name))
        group.addAction(action)
        menu.addAction(action)
    return menu


def _choose(window, code: str, name: str) -> None:
    persist.set_language(code or None)
    message = (translate("LanguageMenu", "Bulkhead will follow the system's language from its next start")
               if not code else translate("LanguageMenu", "Bulkhead will speak {language} from its next start")
               .format(language=name))
    window.statusBar().showMessage(message, 10_000)
