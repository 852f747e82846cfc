"""Update the console's translations: collect every string of gui/ into resources/i18n/bulkhead_<lang>.ts
(pyside6-lupdate keeps the translations already there and drops the obsolete ones), optionally fill in
translations from JSON files, make the .qm (pyside6-lrelease) and list what is still untranslated.

    .venv/bin/python tools/translations.py                      # update the .ts and .qm, list untranslated
    .venv/bin/python tools/translations.py --merge de.json      # also fill translations in from de.json
    .venv/bin/python tools/translations.py --untranslated todo.json   # write the untranslated ones as JSON
    .venv/bin/python tools/translations.py --check              # exit 1 if anything is untranslated

A JSON file holds {"<context>": {"<source>": "<translation>" or ["<singular>", "<plural>"]}}; an empty translation
is skipped. resources/i18n/bulkhead_<lang>.pending.json, when present, is merged on every run into messages still
untranslated only: translations made ahead for strings the code will have (e.g. once a context is fixed).
lupdate is given the list of files: given the folder it finds no Python strings.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "resources" / "i18n"
BIN = Path(sys.executable).parent
LUPDATE = BIN / "pyside6-lupdate"
LRELEASE = BIN / "pyside6-lrelease"
LANGS = ("de",)


def sources(root: Path = ROOT) -> list[Path]:
    """Every Python file of the console, in a stable order."""
    return sorted(p for p in (root / "gui").rglob("*.py") if "__pycache__" not in p.parts)


def ts_path(lang: str) -> Path:
    return I18N / f"bulkhead_{lang}.ts"


def qm_path(lang: str) -> Path:
    return I18N / f"bulkhead_{lang}.qm"


def pending_path(lang: str) -> Path:
    return I18N / f"bulkhead_{lang}.pending.json"


def lupdate(ts: Path, lang: str, files: list[Path] | None = None) -> None:
    """Collect the strings of ``files`` (all of gui/) into ``ts``, keeping its translations, dropping obsolete ones."""
    files = files if files is not None else sources()
    cmd = [str(LUPDATE), "-silent", "-no-obsolete", "-locations", "relative", "-source-language", "en",
           "-target-language", lang, *map(str, files), "-ts", str(ts)]
    subprocess.run(cmd, check=True, cwd=ROOT, capture_output=True, text=True)


def lrelease(ts: Path, qm: Path) -> None:
    subprocess.run([str(LRELEASE), "-silent", str(ts), "-qm", str(qm)], check=True, cwd=ROOT,
                   capture_output=True, text=True)


def messages(ts: Path):
    """(context, source, <translation> element, <message> element) for every message of ``ts``."""
    root = ET.parse(ts).getroot()
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            yield name, message.findtext("source") or "", message.find("translation"), message


def texts(translation: ET.Element | None) -> list[str]:
    """The translation's text(s): one, or one per numerus form."""
    if translation is None:
        return []
    forms = translation.findall("numerusform")
    return [f.text or "" for f in forms] if forms else [translation.text or ""]


def is_done(translation: ET.Element | None) -> bool:
    return (translation is not None and translation.get("type") not in ("unfinished", "obsolete", "vanished")
            and all(t.strip() for t in texts(translation)) and bool(texts(translation)))


def untranslated(ts: Path) -> list[tuple[str, str]]:
    return [(ctx, src) for ctx, src, tr, _ in messages(ts) if not is_done(tr)]


def merge(ts: Path, table: dict, overwrite: bool = True) -> int:
    """Fill the translations of ``table`` ({context: {source: text | [singular, plural]}}) into ``ts`` (with
    ``overwrite`` False only where none is yet); returns how many messages were filled. lupdate rewrites the file
    in its own layout afterwards."""
    tree = ET.parse(ts)
    filled = 0
    for context in tree.getroot().iter("context"):
        wanted = table.get(context.findtext("name") or "") or {}
        for message in context.iter("message"):
            text = wanted.get(message.findtext("source") or "")
            if not text:
                continue
            translation = message.find("translation")
            if not overwrite and is_done(translation):
                continue
            if translation is None:
                translation = ET.SubElement(message, "translation")
            for child in list(translation):
                translation.remove(child)
            translation.attrib.pop("type", None)
            if message.get("numerus") == "yes":
                forms = text if isinstance(text, list) else [text, text]
                translation.text = None
                for form in forms:
                    ET.SubElement(translation, "numerusform").text = form
            else:
                translation.text = text[0] if isinstance(text, list) else text
            filled += 1
    if filled:
        with open(ts, "wb") as out:
            out.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
            tree.write(out, encoding="utf-8", xml_declaration=False)
    return filled


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Update resources/i18n/bulkhead_<lang>.ts from gui/ and make the .qm.")
    p.add_argument("--lang", action="append", help=f"language(s) to update (default: {', '.join(LANGS)})")
    p.add_argument("--merge", action="append", type=Path, default=[], metavar="FILE.json",
                   help="fill translations from this JSON file (may be given several times)")
    p.add_argument("--untranslated", type=Path, metavar="FILE.json",
                   help="write the messages still untranslated to this JSON file (translations left empty)")
    p.add_argument("--check", action="store_true", help="exit 1 if any message is untranslated")
    args = p.parse_args(argv)
    missing = 0
    for lang in args.lang or LANGS:
        ts = ts_path(lang)
        lupdate(ts, lang)
        filled = 0
        for path in args.merge:
            table = json.loads(path.read_text(encoding="utf-8"))
            filled += (n := merge(ts, table))
            print(f"{path}: {n} translations filled in")
        if pending_path(lang).exists():
            filled += merge(ts, json.loads(pending_path(lang).read_text(encoding="utf-8")), overwrite=False)
        if filled:
            lupdate(ts, lang)  # back to lupdate's own layout
        lrelease(ts, qm_path(lang))
        todo = untranslated(ts)
        total = sum(1 for _ in messages(ts))
        print(f"{ts.relative_to(ROOT)}: {total} messages, {len(todo)} untranslated")
        for ctx, src in todo:
            print(f"  {ctx or '<no context>'}: {src!r}")
        if args.untranslated:
            table: dict[str, dict[str, str]] = {}
            for ctx, src in todo:
                table.setdefault(ctx, {})[src] = ""
            args.untranslated.write_text(json.dumps(table, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        missing += len(todo)
    return 1 if args.check and missing else 0


if __name__ == "__main__":
    sys.exit(main())
