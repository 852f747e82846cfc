"""The user guide, opened offline from Help > User Guide and F1.

The guide is Markdown (``docs/guide/``, shipped in the package as ``resources/guide``) shown by a QTextBrowser
(``gui.help.window``). F1 opens the chapter of what has focus: ``topic_for`` walks from the focus widget up its
parents and takes the first ``help_topic`` property, pane of the main window or wizard page it knows
(``gui.help.topics``). A topic is a chapter's file name with an optional heading anchor, GitHub's way
(``migration.md#precheck``), so the same links work on GitHub and in the console.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget, QWizard

from gui.i18n import translate
from resources import ROOT as RESOURCES

from .topics import CHAPTERS, PANES, WIZARD_PAGES, WIZARDS

__all__ = ["CHAPTERS", "GUIDE_DIR", "attach_wizard", "guide_action", "guide_dir", "show", "topic_for"]

GUIDE_DIR = RESOURCES / "guide"  # docs/guide in a checkout (resources/guide links there)
INDEX = "index.md"
_window = None


def guide_dir() -> Path:
    """The guide in the console's language where it is translated (a folder of the guide named by the language,
    docs/guide/de), else the English guide."""
    code = translate("Help", "en")  # the translation names its language's folder ("de")
    folder = GUIDE_DIR / code
    return folder if code != "en" and (folder / INDEX).is_file() else GUIDE_DIR


def topic_for(widget: QWidget | None) -> str:
    """The chapter (and anchor) about ``widget``: its own or its nearest parent's ``help_topic`` property, a pane of
    the main window by object name, or the current page of a wizard; the guide's contents otherwise."""
    w = widget
    while w is not None:
        topic = w.property("help_topic")
        if topic:
            return str(topic)
        if isinstance(w, QWizard):
            return wizard_topic(w)
        if w.objectName() in PANES:
            return PANES[w.objectName()]
        w = w.parentWidget()
    return INDEX


def wizard_topic(wizard: QWizard) -> str:
    """The chapter of ``wizard``'s current page (the wizard's own chapter for a page the table does not name)."""
    page = wizard.currentPage()
    name = wizard.objectName()
    key = f"{name}/{type(page).__name__}" if page is not None else ""
    return WIZARD_PAGES.get(key) or WIZARDS.get(name, INDEX)


def show(topic: str = INDEX):
    """Open the guide window (one for the console, made on first use) at ``topic`` and bring it to the front."""
    global _window
    from .window import GuideWindow

    folder = guide_dir()
    if _window is not None and _window.folder != folder:  # the console's language changed
        _window.close()
        _window.deleteLater()
        _window = None
    if _window is None:
        _window = GuideWindow(folder)
        _window.destroyed.connect(_forget)
    _window.show()  # laid out first, so the topic's heading is scrolled to where it ends up
    _window.open_topic(topic)
    _window.raise_()
    _window.activateWindow()
    return _window


def _forget(*_args) -> None:
    global _window
    _window = None


def show_for_focus(fallback: QWidget | None = None):
    """F1: the guide at the chapter of the widget with focus (or ``fallback``'s)."""
    return show(topic_for(QApplication.focusWidget() or fallback))


def guide_action(parent: QWidget) -> QAction:
    """Help > User Guide (F1): the guide at the chapter of what has focus in ``parent``'s window."""
    action = QAction(QApplication.translate("Help", "&User Guide"), parent)
    action.setObjectName("action_user_guide")
    action.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
    action.setToolTip(QApplication.translate("Help", "Open the user guide at the chapter of what has focus"))
    action.triggered.connect(lambda: show_for_focus(parent))
    return action


def attach_wizard(wizard: QWizard) -> None:
    """A wizard's Help button and F1 (a wizard is modal: the main window's F1 does not reach it) open the chapter of
    its current page; Shift+F1 shows a field's What's This text."""
    wizard.setOption(QWizard.WizardOption.HaveHelpButton, True)
    wizard.helpRequested.connect(lambda: show(wizard_topic(wizard)))
    action = QAction(wizard)
    action.setObjectName("wizard_help")
    action.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.triggered.connect(lambda: show(wizard_topic(wizard)))
    wizard.addAction(action)
