"""Choosing the console's language: ``bulkhead console --lang de`` (gui.app's --lang), BULKHEAD_LANG and the saved
preference (gui.persist), first to last, else the system's; the shipped German translation is what loads."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QLocale

from gui import i18n, persist

ROOT = Path(__file__).resolve().parents[2]

# the console as `python -m gui --lang de` makes it (gui.app's parser and make_app), its window not yet connected
SHOW = """
import json, sys
from core import api
from gui import app
from gui.main_window import MainWindow
from gui.session import Session
args = app._parser().parse_args(sys.argv[1:])
qt = app.make_app(lang=args.lang)
window = MainWindow(Session(lambda: api.connect(args.home, embedded=True)), home=args.home)
menu = window.menuBar().findChild(type(window.menuBar().actions()[0].menu()), "menu_action")
print(json.dumps({"title": window.windowTitle(), "menu": menu.title(),
                  "items": [a.text() for a in menu.actions() if a.text()]}))
"""


def _show(gui_env, *args: str, **env: str) -> dict:
    environ = {k: v for k, v in os.environ.items() if k != "BULKHEAD_LANG"}
    environ.update(QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT), LANG="C", LC_ALL="C", LANGUAGE="", **env)
    r = subprocess.run([sys.executable, "-c", SHOW, "--home", str(gui_env / "home"), *args], env=environ, cwd=ROOT,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout.strip().splitlines()[-1])


def test_lang_de_shows_the_window_and_its_vm_menu_in_german(gui_env):
    shown = _show(gui_env, "--lang", "de")
    assert shown["title"] == "Bulkhead - Verwaltung virtueller Computer"
    assert shown["menu"] == "&Aktion"
    assert "&Starten" in shown["items"] and "Manager für virtuelle S&witches..." in shown["items"]
    english = _show(gui_env)  # the C locale: the source language
    assert english["title"] == "Bulkhead - Virtual Machine Manager" and english["menu"] == "&Action"
    assert _show(gui_env, "--lang", "en", BULKHEAD_LANG="de")["menu"] == "&Action"  # --lang wins


def test_a_bad_lang_is_a_usage_error(gui_env):
    r = subprocess.run([sys.executable, "-m", "gui", "--lang", "de;rm"], cwd=ROOT, capture_output=True, text=True,
                       env=dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT)), timeout=60)
    assert r.returncode == 2
    assert "is not a language" in r.stderr and "Traceback" not in r.stderr


def test_the_saved_language_applies_unless_lang_or_bulkhead_lang_say_otherwise(gui_env, monkeypatch):
    monkeypatch.delenv("BULKHEAD_LANG", raising=False)
    persist.set_language("de")
    assert persist.language() == "de"
    assert i18n.locale().name() == "de_DE"
    assert i18n.locale("fr").name() == "fr_FR"
    monkeypatch.setenv("BULKHEAD_LANG", "en")
    assert i18n.locale().language() == QLocale.Language.English
    monkeypatch.delenv("BULKHEAD_LANG")
    persist.set_language("system")
    assert persist.language() == ""
    assert i18n.locale().name() == QLocale.system().name()
    assert i18n.is_language("de_AT") and i18n.is_language("pt-BR") and not i18n.is_language("../de")


def test_bulkhead_console_hands_lang_to_the_console(monkeypatch):
    from core.cli import parser, run

    seen = []
    monkeypatch.setattr(os, "execv", lambda exe, argv: seen.append(argv))
    args = parser.build().parse_args(["console", "--lang", "de"])
    run.open_console(args)
    assert seen and seen[0][-2:] == ["--lang", "de"] and seen[0][1:3] == ["-m", "gui"]


def test_the_wizards_finish_button_says_fertig_stellen_in_german(qapp, qtbot, tmp_path):
    """Hyper-V Manager's word, not Qt's own "Abschließen"."""
    from PySide6.QtWidgets import QWizard

    from gui import i18n
    from gui.wizards.base import set_up

    installed = i18n.install(qapp, "de")
    try:
        wizard = QWizard()
        qtbot.addWidget(wizard)
        set_up(wizard, "w", "W")
        assert wizard.buttonText(QWizard.WizardButton.FinishButton) == "&Fertig stellen"
    finally:
        for t in installed:
            qapp.removeTranslator(t)


def test_view_language_saves_the_choice_for_the_next_start(window, qtbot, monkeypatch):
    from PySide6.QtWidgets import QMenu

    menu = window.findChild(QMenu, "menu_language")
    assert menu is not None
    actions = {a.objectName(): a for a in menu.actions()}
    assert set(actions) == {"action_language_system", "action_language_en", "action_language_de"}
    assert actions["action_language_de"].text() == "Deutsch"  # each language named in itself
    actions["action_language_de"].trigger()
    assert persist.language() == "de" and actions["action_language_de"].isChecked()
    assert "Deutsch" in window.statusBar().currentMessage() and "next start" in window.statusBar().currentMessage()
    actions["action_language_system"].trigger()
    assert persist.language() == "" and not actions["action_language_de"].isChecked()
