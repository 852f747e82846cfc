"""What the console's wizards share when their window is made: its look, and its pages with the list of their steps
at the side."""

from __future__ import annotations

from PySide6.QtWidgets import QWizard

from gui.help import attach_wizard
from gui.i18n import translate
from gui.widgets.builders import wizard_steps


def set_up(wizard: QWizard, name: str, title: str) -> None:
    """``wizard``'s window: object name ``name``, window title ``title`` (translated by the wizard), the modern
    style, no Back on the start page."""
    wizard.setObjectName(name)
    wizard.setWindowTitle(title)
    wizard.setWizardStyle(QWizard.WizardStyle.ModernStyle)
    wizard.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
    # Hyper-V Manager's word for it (German "Fertig stellen"; Qt's own translation says "Abschließen")
    wizard.setButtonText(QWizard.WizardButton.FinishButton, translate("Wizard", "&Finish"))
    attach_wizard(wizard)  # Help and F1: the guide's chapter of the page shown


def add_pages(wizard: QWizard, pages: list, steps_title: str, final: bool = False) -> list:
    """Add ``pages`` in order (kept as ``wizard.pages``, and returned; with ``final`` each may finish the wizard)
    and list their steps at the side (``wizard.steps``, named ``steps_title`` for a screen reader, translated by the
    wizard)."""
    wizard.pages = list(pages)
    for page in wizard.pages:
        if final:
            page.setFinalPage(True)
        wizard.addPage(page)
    wizard.steps = wizard_steps(wizard, steps_title, [p.step for p in wizard.pages])
    return wizard.pages
