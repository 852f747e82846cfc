"""The command line in German: its gettext catalog complete and current, placeholders kept, the language chosen as
gettext chooses it (and --lang), host refusals translated by their codes, English unchanged."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from core.cli import i18n
from core.model import messages, messages_de
from core.model.errors import BulkheadError, NotFound, StateError, UsageError

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import cli_translations  # noqa: E402

BRACES = re.compile(r"(?<!\{)\{([^{}]*)\}(?!\})")
PERCENT = re.compile(r"%(?:\([a-z_]+\))?[-#0 +]*\d*(?:\.\d+)?[sdrifgx%]")


def _entries():
    return list(cli_translations.read_po().values())


def _english_env(**extra) -> dict:
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG",
                                                            "BULKHEAD_LANG")}
    return {**env, "PYTHONPATH": str(ROOT), **extra}


def _bulkhead(*args, **env):
    return subprocess.run([sys.executable, "-m", "core.cli", *args], capture_output=True, text=True, timeout=60,
                          env=_english_env(**env), cwd=ROOT)


@pytest.fixture(autouse=True)
def _english_afterwards():
    yield
    i18n.activate("en")


def test_the_catalog_is_current_with_the_sources():
    """Regenerating the .po and .mo from the sources gives the committed files (a new string is in the catalog)."""
    assert cli_translations.main(["--check"]) == 0, "run tools/cli_translations.py and translate the new strings"


def test_every_cli_string_is_translated():
    entries = _entries()
    assert len(entries) > 300
    missing = [e.msgid for e in entries if not e.translated]
    assert not missing, f"{len(missing)} untranslated, e.g. {missing[:3]}"


@pytest.mark.parametrize("kind", ["braces", "percent"])
def test_translations_keep_every_placeholder(kind):
    pattern = BRACES if kind == "braces" else PERCENT
    wrong = []
    for e in _entries():
        sources = [e.msgid] if e.plural is None else [e.msgid, e.plural]
        for i, text in enumerate(e.msgstr):
            source = sources[min(i, len(sources) - 1)]
            if e.plural is not None:  # a plural's forms may each say the number or not, but name the same fields
                if set(pattern.findall(text)) - set(pattern.findall(e.plural)):
                    wrong.append((e.msgid, text))
            elif Counter(pattern.findall(text)) != Counter(pattern.findall(source)):
                wrong.append((source, text))
    assert not wrong, wrong[:5]


def test_a_translation_that_drops_a_placeholder_is_caught():
    entry = cli_translations.Entry("VM '{name}' is {state}")
    entry.msgstr = ["Der virtuelle Computer ist {state}"]
    assert Counter(BRACES.findall(entry.msgstr[0])) != Counter(BRACES.findall(entry.msgid))
    assert Counter(PERCENT.findall("%(prog)s: Fehler")) != Counter(PERCENT.findall("%(prog)s: error: %(message)s\n"))


def test_every_translation_formats():
    """Each German brace template formats with the fields its English one has (no stray brace, no bad spec)."""
    for e in _entries():
        fields = {f.split("!")[0].split(":")[0] for f in BRACES.findall(e.msgid)}
        if not fields or "%" in e.msgid:
            continue
        values = {f: 1.5 if ":" in e.msgid else "x" for f in fields}
        for text in e.msgstr:
            text.format(**values)


def test_the_language_comes_from_the_locale_as_gettext_reads_it():
    of = i18n.language_of
    assert of([], {}) == "en"
    assert of([], {"LANG": "de_DE.UTF-8"}) == "de"
    assert of([], {"LANG": "de_DE.UTF-8", "LC_ALL": "C"}) == "en"  # LC_ALL before LANG
    assert of([], {"LANGUAGE": "fr:de", "LANG": "en_US.UTF-8"}) == "de"  # LANGUAGE lists several: the first known
    assert of([], {"LANGUAGE": "", "LC_MESSAGES": "de_AT@euro"}) == "de"
    assert of([], {"BULKHEAD_LANG": "en", "LANG": "de_DE"}) == "en"
    assert of(["--lang", "de", "vm", "list"], {"LANG": "C"}) == "de"
    assert of(["--lang=en", "vm"], {"LANGUAGE": "de"}) == "en"
    assert of(["vm", "list", "--lang", "de"], {}) == "en"  # an option of bulkhead itself, before the noun
    assert of(["--home", "/x", "--lang", "de"], {}) == "de"


def test_english_loads_no_catalog():
    assert i18n.activate("en") == "en" and i18n._catalog is None
    assert i18n._("virtual machines: list, create, start, stop, connect ...").startswith("virtual machines")


def test_german_help_reads_german():
    r = _bulkhead("vm", "--help", LANGUAGE="de")
    assert r.returncode == 0, r.stderr
    out = " ".join(r.stdout.split())
    assert out.startswith("Aufruf: bulkhead vm"), out[:80]
    assert "Positionsargumente" in out and "diese Hilfe anzeigen und beenden" in out
    assert "virtuelle Computer herunterfahren (den Gast darum bitten)" in out and "Prüfpunkt" in out
    assert "usage:" not in out and "show this help message" not in out
    examples = _bulkhead("--lang", "de", "disk", "new", "--help").stdout
    assert "Beispiele:" in examples
    assert "bulkhead disk new web1.vhd --size 10G" in examples and "Datenträgergeometrie" in examples


def test_english_help_is_unchanged():
    out = _bulkhead("vm", "--help").stdout
    assert out.startswith("usage: bulkhead vm") and "positional arguments" in out
    assert "shut VMs down (ask the guest)" in out
    assert _bulkhead("--lang", "en", "vm", "--help", LANGUAGE="de").stdout == out


def test_german_usage_error_is_one_line_and_exit_2():
    r = _bulkhead("vm", "new", "x", "--vcpus", "abc", LANG="de_DE.UTF-8")
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1
    assert "ist keine ganze Zahl" in r.stderr and "(siehe bulkhead vm new --help)" in r.stderr
    r = _bulkhead("vm", "frob", LANG="de_DE.UTF-8")
    assert r.returncode == 2 and "ungültige Auswahl" in r.stderr
    r = _bulkhead("vm", "new", "x", "--memory", "lots", LANGUAGE="de")
    assert r.returncode == 2 and r.stderr.strip() == "bulkhead: --memory: 'lots' ist keine Größe (z. B. 512M oder 4G)"


def test_a_host_refusal_reads_german(cli):
    cli.env = _english_env(BULKHEAD_HOME=str(cli.home), LANGUAGE="de")
    r = cli("vm", "start", "nosuch")
    assert r.returncode == 2
    assert r.stderr.strip() == "bulkhead: Es gibt keinen virtuellen Computer namens „nosuch“"
    cli("vm", "new", "web1", check=True)
    r = cli("vm", "pause", "web1")
    assert r.returncode == 1 or r.returncode == 2
    said = r.stdout + r.stderr
    assert "Anhalten ist für den virtuellen Computer „web1“ nicht möglich" in said, said
    assert "„Aus“" in said and "„Wird ausgeführt“" in said
    listing = cli("vm", "list", check=True).stdout
    assert listing.startswith("NAME") and "STATUS" in listing and "Aus" in listing
    r = cli("vm", "new", "web1")
    assert r.returncode == 2 and "„web1“ ist bereits vorhanden" in r.stderr, r.stderr
    cli.env = _english_env(BULKHEAD_HOME=str(cli.home))
    r = cli("vm", "start", "nosuch")
    assert r.stderr.strip() == "bulkhead: no VM named 'nosuch'"


# ---- the hosts' refusals by code (core.model.messages)


def test_each_german_template_has_the_english_ones_placeholders():
    for code, pairs in messages_de.CATALOG.items():
        for english, german in pairs:
            assert set(messages.placeholders(english)) == set(messages.placeholders(german)), (code, english)
            german.format(**{name: "x" for name in messages.placeholders(german)})


def _codes_in_core() -> set[str]:
    codes = set()
    for path in (ROOT / "core").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.keyword) and node.arg == "code" and isinstance(node.value, ast.Constant):
                codes.add(node.value.value)
            if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "code" for t in node.targets) \
                    and isinstance(node.value, ast.Constant):
                codes.add(node.value.value)
    return codes


def test_the_catalog_names_codes_the_hosts_raise():
    from core.model.errors import ERROR_KINDS

    known = _codes_in_core() | set(ERROR_KINDS) | {"units.size"}
    assert not set(messages_de.CATALOG) - known
    everyday = {"vm.not_found", "vm.state", "vm.name_taken", "not_found", "unavailable", "param.invalid",
                "limits.memory", "limits.vcpus", "checkpoint.not_found", "job.not_found"}
    assert everyday <= set(messages_de.CATALOG)


def test_refusals_are_translated_by_their_code():
    from core.model.params import Param, check_params
    from core.model.states import TransitionError, check_operation

    with pytest.raises(TransitionError) as e:
        check_operation("web1", "shut_down", "Off")
    error = StateError(str(e.value), code="vm.state")
    assert messages.localized(error, "de") == ("Herunterfahren ist für den virtuellen Computer „web1“ nicht möglich: "
                                               "sein Status ist „Aus“ (Herunterfahren erfordert „Wird ausgeführt“)")
    with pytest.raises(UsageError) as e:
        check_params("vm.new", [Param("vcpus", "int", 1, min=1, max=64)], {"vcpus": 100})
    assert "muss zwischen 1 und 64 liegen (angegeben: 100)" in messages.localized(e.value, "de_DE.UTF-8")
    assert messages.localized(NotFound("no virtual switch named 'lab'"), "de") == \
        "Es gibt keinen virtuellen Switch namens „lab“"
    # as the protocol carries it, and a code or a sentence the catalog does not know: the host's English
    assert messages.localized({"kind": "not_found", "code": "vm.not_found", "message": "no VM named 'a'"}, "de") == \
        "Es gibt keinen virtuellen Computer namens „a“"
    assert messages.localized(BulkheadError("disk on fire", code="disk.fire"), "de") == "disk on fire"
    assert messages.localized(NotFound("no VM named 'x' here, there"), "de") == "no VM named 'x' here, there"
    assert messages.localized(NotFound("no VM named 'a'", code="vm.not_found"), "en") == "no VM named 'a'"


def test_a_refusal_known_only_as_text_is_translated_line_by_line():
    text = "no VM named 'web1'\nsomething else"
    assert messages.localized_text(text, "de") == "Es gibt keinen virtuellen Computer namens „web1“\nsomething else"
    assert messages.localized_text(text, "en") == text


def test_the_console_shows_host_errors_in_its_language(qapp):
    pytest.importorskip("PySide6")
    from PySide6.QtCore import QCoreApplication

    from gui import i18n as gui_i18n
    from gui.dialogs import messages as dialogs

    assert dialogs.language() == "en"
    assert dialogs.host_error(NotFound("no VM named 'a'", code="vm.not_found")) == "no VM named 'a'"
    installed = gui_i18n.install(qapp, "de")
    try:
        assert dialogs.language() == "de"
        assert dialogs.host_error(NotFound("no VM named 'a'", code="vm.not_found")) == \
            "Es gibt keinen virtuellen Computer namens „a“"
        box = dialogs.error(None, "Fehler", "no virtual switch named 'lab'")
        assert box.text() == "Es gibt keinen virtuellen Switch namens „lab“"
        box.close()
    finally:
        for t in installed:
            QCoreApplication.removeTranslator(t)


def test_the_command_line_knows_the_job_titles_the_console_knows():
    pytest.importorskip("PySide6")
    from gui.models.jobs import JOB_TITLES as console

    assert console <= i18n.JOB_TITLES
    i18n.activate("de")
    assert i18n.job_title("Start VM") != "Start VM" and i18n.job_title("A newer host's job") == "A newer host's job"
