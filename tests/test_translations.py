"""The shipped translations are complete and sound: every message of resources/i18n/bulkhead_de.ts is translated,
keeps the source's placeholders, accelerators and markup, the .qm is built from the .ts as it is, and the .ts holds
every string the code has now (a string added without a translation fails here: run tools/translations.py)."""

from __future__ import annotations

import importlib.util
import re
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("translations_tool", ROOT / "tools" / "translations.py")
tool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tool)

LANGS = tool.LANGS
HINT = "run .venv/bin/python tools/translations.py (it lists what is missing)"

if not tool.LUPDATE.exists() or not tool.LRELEASE.exists():
    pytest.skip("pyside6-lupdate / pyside6-lrelease are not installed", allow_module_level=True)

BRACES = re.compile(r"\{[^{}]*\}")
QT_ARGS = re.compile(r"%(?:\d+|n)")
TAGS = re.compile(r"</?[A-Za-z][^<>]*>")
ENTITY = re.compile(r"&(?:[A-Za-z]+|#\d+);")


def accelerators(text: str) -> int:
    """How many & mark a shortcut letter (&& is a literal ampersand; &amp; and the like are markup)."""
    text = ENTITY.sub("", text).replace("&&", "")
    return len(re.findall(r"&\S", text))


def shape(text: str) -> dict:
    """What a translation must keep of its source."""
    return {"placeholders": Counter(BRACES.findall(text)), "qt arguments": Counter(QT_ARGS.findall(text)),
            "tags": Counter(t.lower().replace(" ", "") for t in TAGS.findall(text)),
            "newlines": text.count("\n"), "accelerators": accelerators(text)}


@pytest.fixture(scope="module", params=LANGS)
def ts(request) -> Path:
    path = tool.ts_path(request.param)
    assert path.exists(), f"{path} is missing: {HINT}"
    return path


def test_accelerators_and_placeholders_are_recognised():
    assert accelerators("&Start") == 1 and accelerators("Save && close") == 0 and accelerators("a &amp; b") == 0
    assert accelerators("S&tart &Now") == 2
    assert shape("<b>{name}</b> %1\n")["placeholders"] == Counter({"{name}": 1})
    assert shape("{ms:.1f} ms")["placeholders"] != shape("{ms} ms")["placeholders"]
    assert shape("<b>x</b>")["tags"] == shape("<b>y</b>")["tags"] != shape("<i>y</i>")["tags"]


def test_every_message_is_translated(ts):
    missing = [f"{ctx or '<no context>'}: {src!r}" for ctx, src, tr, _ in tool.messages(ts) if not tool.is_done(tr)]
    assert not missing, f"{len(missing)} untranslated in {ts.name} ({HINT}):\n" + "\n".join(missing[:40])


def test_translations_keep_placeholders_accelerators_and_markup(ts):
    wrong = []
    for ctx, src, translation, _ in tool.messages(ts):
        want = shape(src)
        for text in tool.texts(translation):
            if not text:
                continue
            got = shape(text)
            bad = [k for k in want if got[k] != want[k]]
            if got["accelerators"] > 1:
                bad.append("more than one accelerator")
            if bad:
                wrong.append(f"{ctx}: {src!r} -> {text!r}: {', '.join(bad)}")
    assert not wrong, "\n".join(wrong)


def test_the_qm_is_built_from_the_ts(ts, tmp_path):
    qm = ts.with_suffix(".qm")
    assert qm.exists(), f"{qm} is missing: {HINT}"
    fresh = tmp_path / qm.name
    tool.lrelease(ts, fresh)
    assert fresh.read_bytes() == qm.read_bytes(), f"{qm.name} is older than {ts.name}: {HINT}"


def test_the_ts_holds_every_string_of_the_code(ts, tmp_path):
    fresh = tmp_path / ts.name
    tool.lupdate(fresh, "de")
    found = {(ctx, src) for ctx, src, _, _ in tool.messages(fresh)}
    assert len(found) > 1000  # lupdate was given the files (given the folder it finds nothing)
    have = {(ctx, src) for ctx, src, _, _ in tool.messages(ts)}
    new = sorted(found - have)
    assert not new, f"{len(new)} strings of the code are not in {ts.name} ({HINT}):\n" + "\n".join(
        f"{ctx or '<no context>'}: {src!r}" for ctx, src in new[:40])
    gone = sorted(have - found)
    assert not gone, f"{ts.name} holds strings the code no longer has ({HINT}): {gone[:10]}"


def test_every_message_has_a_context(ts):
    """A message without a context never applies: the code asks for it under its class's name."""
    nameless = [src for ctx, src, _, _ in tool.messages(ts) if not ctx]
    assert not nameless, nameless


def test_merge_fills_translations_from_json(tmp_path):
    ts = tmp_path / "bulkhead_de.ts"
    ts.write_text('<?xml version="1.0" encoding="utf-8"?><!DOCTYPE TS><TS version="2.1" language="de">'
                  "<context><name>A</name><message><source>Start</source><translation type=\"unfinished\"/>"
                  '</message><message numerus="yes"><source>{n} VMs</source><translation type="unfinished">'
                  "<numerusform/><numerusform/></translation></message><message><source>Keep</source>"
                  "<translation>Bleibt</translation></message></context></TS>", encoding="utf-8")
    filled = tool.merge(ts, {"A": {"Start": "Starten", "{n} VMs": ["{n} VM", "{n} VMs"], "Other": "x"},
                             "B": {"Keep": "nein"}})
    assert filled == 2
    got = {src: tool.texts(tr) for _, src, tr, _ in tool.messages(ts)}
    assert got == {"Start": ["Starten"], "{n} VMs": ["{n} VM", "{n} VMs"], "Keep": ["Bleibt"]}
    assert tool.untranslated(ts) == []
    assert tool.merge(ts, {"A": {"Keep": "nein"}}, overwrite=False) == 0  # pending ones fill only the missing
    assert tool.merge(ts, {"A": {"Keep": "Bleibt so"}}) == 1
