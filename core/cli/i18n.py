"""The command line's language: its help, its messages and argparse's own words through gettext (domain
``bulkhead``), and the host's refusals through their codes (core.model.messages).

The language is, first to last: ``bulkhead --lang de|en``, BULKHEAD_LANG (as the console), then the system's locale
as gettext reads it (LANGUAGE, LC_ALL, LC_MESSAGES, LANG: the first that is set; LANGUAGE may list several). Only
German has a catalog; any other language is English, the source language. English costs nothing at start: the
catalog (``resources/locale/de/LC_MESSAGES/bulkhead.mo``, made by ``tools/cli_translations.py``) is read only when
German is asked for, and ``_`` is then the identity.

Strings are marked ``_("...")`` where they are used, with named placeholders filled after translation
(``_("VM '{name}' is {state}").format(...)``), so a translation may put them in another order.
"""

from __future__ import annotations

import os

__all__ = ["DOMAIN", "LANGUAGES", "N_", "_", "activate", "host_text", "job_title", "language", "language_of",
           "ngettext", "size_problem", "state_word"]

DOMAIN = "bulkhead"
LANGUAGES = ("de", "en")  # those --lang takes; en is the source language
ENV = "BULKHEAD_LANG"
_catalog = None  # gettext.GNUTranslations while German is active
_language = "en"


def _(message: str) -> str:
    """``message`` in the command line's language."""
    return _catalog.gettext(message) if _catalog is not None else message


def N_(message: str) -> str:
    """Marks ``message`` for the catalog where it is defined; ``_`` translates it where it is shown."""
    return message


# the words a host says of a VM's or a job's state, as the command line shows them (--json keeps the host's)
STATES = (N_("Off"), N_("Starting"), N_("Running"), N_("Pausing"), N_("Paused"), N_("Saving"), N_("Saved"),
          N_("Stopping"),
          N_("Resuming"), N_("Critical"), N_("Configuration error"), N_("Queued"), N_("Completed"), N_("Failed"),
          N_("Cancelled"))


# the titles the hosts give their jobs (core.model.methods and the hosts' own job calls, as gui/models/jobs.py
# lists them); a title not here shows as the host gives it
JOB_TITLES = frozenset((N_("Apply checkpoint"), N_("Change VM settings"), N_("Convert VM"),
    N_("Convert physical server"), N_("Create checkpoint"), N_("Delete checkpoint"), N_("Delete checkpoint subtree"),
    N_("Export VM"), N_("Export VM as OVA"), N_("Import VM"), N_("Migrate VM"), N_("Move VM storage"),
    N_("Move VM to another Bulkhead host"),
    N_("New VM"), N_("New virtual hard disk"), N_("New virtual switch"), N_("Pause VM"), N_("Remove VM"),
    N_("Remove virtual switch"), N_("Rename checkpoint"), N_("Rename virtual switch"), N_("Reset VM"),
    N_("Resolve VM move"), N_("Resolve an unconfirmed move"), N_("Resume VM"), N_("Revert VM"), N_("Save VM"),
    N_("Set KVP"), N_("Set a key-value pair"), N_("Shut down VM"), N_("Start VM"), N_("Stop VM"), N_("Turn off VM")))


def job_title(name: str) -> str:
    """A job's title in the command line's language."""
    return _(name) if name in JOB_TITLES else name


def state_word(state: str) -> str:
    """A state the host named, in the command line's language (one it does not know as it came)."""
    return _(state) if state in STATES else state


def ngettext(singular: str, plural: str, n: int) -> str:
    if _catalog is not None:
        return _catalog.ngettext(singular, plural, n)
    return singular if n == 1 else plural


def _pick(value: str) -> str | None:
    """The supported language a locale value (``de_DE.UTF-8``, ``de:en``, ``C``) names first, or None where it names
    none (gettext then tries the next variable only when this one is empty)."""
    for entry in value.split(":"):
        entry = entry.strip()
        if not entry:
            continue
        if entry in ("C", "POSIX") or entry.startswith(("C.", "POSIX.")):
            return "en"
        base = entry.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
        if base in LANGUAGES:
            return base
    return "en"


def language_of(argv: list[str] | None, environ=os.environ) -> str:
    """The language a command line (``--lang X`` before the noun) and the environment ask for: "de" or "en"."""
    for i, word in enumerate(argv or ()):
        if word == "--lang" and i + 1 < len(argv):
            return _pick(argv[i + 1]) or "en"
        if word.startswith("--lang="):
            return _pick(word[7:]) or "en"
        if not word.startswith("-") and (i == 0 or argv[i - 1] not in ("--home", "--connect")):
            break  # the noun: --lang is an option of bulkhead itself
    for var in (ENV, "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(var, "")
        if value and value != "system":
            return _pick(value) or "en"
    return "en"


def size_problem(error: Exception) -> str:
    """core.model.units.parse_size's complaint (a ValueError, which has no code) in the command line's language."""
    if _language == "en":
        return str(error)
    from core.model.messages import translate_text

    return translate_text("units.size", str(error), _language) or str(error)


def host_text(message: str) -> str:
    """A host's English sentence whose code is lost (a failed job's error) in the command line's language, as far
    as the catalog knows it (core.model.messages.localized_text)."""
    if _language == "en" or not message:
        return message
    from core.model.messages import localized_text

    return localized_text(message, _language)


def locale_dir() -> str:
    """resources/locale beside core/ (a checkout or an installed wheel: both are top-level packages); found without
    importing resources, whose pathlib a command would not otherwise load."""
    return os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "resources",
                        "locale")


def activate(lang: str) -> str:
    """Speak ``lang`` from now on ("de" loads the catalog; anything else is English); argparse's own words
    ("usage:", "positional arguments", "error:") follow. Returns the language now active."""
    global _catalog, _language
    import argparse

    _catalog, _language = None, "en"
    if lang == "de":
        import gettext

        try:
            _catalog = gettext.translation(DOMAIN, locale_dir(), languages=["de"])
            _language = "de"
        except OSError:  # no catalog (a checkout where tools/cli_translations.py --build has not run): English
            _catalog = None
    argparse._ = _  # argparse looks its words up through these module globals at each call
    argparse.ngettext = ngettext
    return _language


def language() -> str:
    """The language the command line speaks now: "de" or "en"."""
    return _language
