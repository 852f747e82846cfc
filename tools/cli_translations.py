#!/usr/bin/env python3
"""The command line's German: gettext catalog ``resources/locale/de/LC_MESSAGES/bulkhead.po`` (domain ``bulkhead``),
its strings collected from the sources, and its ``.mo`` built, in Python alone (no xgettext or msgfmt needed).

Extraction reads the sources with ``ast`` (as Python's pygettext does, but knowing our calls):
  - ``_("...")``, ``N_("...")`` and ``ngettext("...", "...", n)`` in core/cli/*.py;
  - the ``help=`` and ``label=`` words of core/model/spec.py's settings (``vm new``/``vm set`` options);
  - argparse's own words (``_('usage: ')``, ``_('positional arguments')`` ...) from the running Python's argparse.py,
    which core.cli.i18n routes through the same catalog.
A string's translation is kept while the string is in the sources; a string no longer there is dropped.

    tools/cli_translations.py                 update the .po from the sources, build the .mo
    tools/cli_translations.py --check         exit 1 if the .po or .mo is not what the sources make
    tools/cli_translations.py --untranslated /tmp/x.json   write {msgid: ""} for each string without translation
    tools/cli_translations.py --merge de.json              fill translations from {msgid: msgstr} (plural: a list)

The .po is the file to edit (Poedit, or any text editor); the .mo is built from it and committed, like the
console's .qm files.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "resources" / "locale" / "de" / "LC_MESSAGES" / "bulkhead.po"
MO = PO.with_suffix(".mo")
SOURCES = ["core/cli/*.py"]
SPEC = "core/model/spec.py"
HEADER = {"Project-Id-Version": "bulkhead", "Language": "de", "MIME-Version": "1.0",
          "Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "8bit",
          "Plural-Forms": "nplurals=2; plural=(n != 1);"}


class Entry:
    def __init__(self, msgid: str, plural: str | None = None) -> None:
        self.msgid, self.plural = msgid, plural
        self.msgstr: list[str] = ["", ""] if plural is not None else [""]
        self.refs: list[str] = []

    @property
    def translated(self) -> bool:
        return all(self.msgstr)

    @property
    def key(self) -> tuple:
        return (self.msgid, self.plural)


def _strings(node: ast.Call) -> list[str] | None:
    args = node.args
    if args and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args[:1]):
        return [a.value for a in args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    return None


def extract(root: Path = ROOT) -> dict[tuple, Entry]:
    """Every string the command line can show, in the order first found."""
    found: dict[tuple, Entry] = {}

    def add(msgid: str, plural: str | None, ref: str) -> None:
        entry = found.setdefault((msgid, plural), Entry(msgid, plural))
        entry.refs.append(ref)

    files = sorted(p for pattern in SOURCES for p in root.glob(pattern))
    for path in files:
        rel = path.relative_to(root).as_posix()
        for node in ast.walk(ast.parse(path.read_text(), rel)):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            strings = _strings(node)
            if node.func.id in ("_", "N_") and strings and len(node.args) == 1:
                add(strings[0], None, rel)
            elif node.func.id == "ngettext" and strings and len(strings) >= 2:
                add(strings[0], strings[1], rel)
    spec = root / SPEC
    for node in ast.walk(ast.parse(spec.read_text())):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Param":
            for kw in node.keywords:
                if kw.arg in ("help", "label") and isinstance(kw.value, ast.Constant) and kw.value.value:
                    add(kw.value.value, None, SPEC)
    import argparse as stdlib_argparse

    for node in ast.walk(ast.parse(Path(stdlib_argparse.__file__).read_text())):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            strings = _strings(node)
            if node.func.id == "_" and strings:
                add(strings[0], None, "argparse")
            elif node.func.id == "ngettext" and strings and len(strings) >= 2:
                add(strings[0], strings[1], "argparse")
    for entry in found.values():
        entry.refs = sorted(set(entry.refs), key=entry.refs.index)
    return found


# ---- .po files


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") \
        .replace("\r", "\\r") + '"'


def _wrap(line: str, width: int = 72) -> list[str]:
    """A long line in chunks of about ``width`` characters, broken after spaces (as msgcat does)."""
    chunks, current = [], ""
    for word in re.findall(r"[^ ]* *", line):
        if current and len(current) + len(word) > width:
            chunks.append(current)
            current = ""
        current += word
    return [*chunks, current] if current else chunks


def _field(name: str, text: str) -> str:
    if "\n" not in text[:-1] and len(text) < 70:
        return f"{name} {_quote(text)}\n"
    parts = [chunk for line in re.findall(r"[^\n]*\n|[^\n]+$", text) for chunk in _wrap(line)]
    return f'{name} ""\n' + "".join(_quote(p) + "\n" for p in parts)


def _flags(entry: Entry) -> str:
    texts = [entry.msgid] + ([entry.plural] if entry.plural else [])
    flags = []
    if any(re.search(r"\{[a-z_][a-z0-9_]*(![rsa])?(:[^{}]*)?\}", t) for t in texts):
        flags.append("python-brace-format")
    if any(re.search(r"%(\([a-z_]+\))?[sdr]", t) for t in texts):
        flags.append("python-format")
    return f"#, {', '.join(flags)}\n" if flags else ""


def write_po(entries: dict[tuple, Entry], path: Path = PO) -> str:
    out = ['# German translation of the Bulkhead command line (tools/cli_translations.py keeps it current).\n',
           'msgid ""\n', 'msgstr ""\n']
    out += [_quote(f"{k}: {v}\n") + "\n" for k, v in HEADER.items()]
    for entry in entries.values():
        out.append("\n")
        refs = " ".join(entry.refs)
        out.append(f"#: {refs}\n")
        out.append(_flags(entry))
        out.append(_field("msgid", entry.msgid))
        if entry.plural is not None:
            out.append(_field("msgid_plural", entry.plural))
            out += [_field(f"msgstr[{i}]", s) for i, s in enumerate(entry.msgstr)]
        else:
            out.append(_field("msgstr", entry.msgstr[0]))
    return "".join(out)


def _unquote(line: str) -> str:
    return ast.literal_eval(line)


def read_po(path: Path = PO) -> dict[tuple, Entry]:
    """The entries of a .po file as write_po writes them (msgid, msgid_plural, msgstr, msgstr[n]; no msgctxt)."""
    entries: dict[tuple, Entry] = {}
    if not path.exists():
        return entries
    fields: dict[str, str] = {}
    current = None

    def flush() -> None:
        if "msgid" in fields and fields["msgid"]:
            entry = Entry(fields["msgid"], fields.get("msgid_plural"))
            if entry.plural is not None:
                entry.msgstr = [fields.get("msgstr[0]", ""), fields.get("msgstr[1]", "")]
            else:
                entry.msgstr = [fields.get("msgstr", "")]
            entries[entry.key] = entry
        fields.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            if current and not line:
                flush()
                current = None
            continue
        if line.startswith('"'):
            fields[current] += _unquote(line)
            continue
        name, _, rest = line.partition(" ")
        if name == "msgid" and "msgid" in fields:
            flush()
        current = name
        fields[name] = _unquote(rest)
    flush()
    return entries


# ---- .mo files


def mo_bytes(entries: dict[tuple, Entry]) -> bytes:
    """A GNU .mo catalog of the translated entries (and the header), as Python's msgfmt.py writes it."""
    header = "".join(f"{k}: {v}\n" for k, v in HEADER.items())
    pairs = {b"": header.encode()}
    for entry in entries.values():
        if not entry.translated:
            continue
        if entry.plural is not None:
            pairs[(entry.msgid + "\0" + entry.plural).encode()] = "\0".join(entry.msgstr).encode()
        else:
            pairs[entry.msgid.encode()] = entry.msgstr[0].encode()
    keys = sorted(pairs)
    ids = strs = b""
    offsets = []
    for k in keys:
        offsets.append((len(ids), len(k), len(strs), len(pairs[k])))
        ids += k + b"\0"
        strs += pairs[k] + b"\0"
    start = 7 * 4 + 16 * len(keys)
    koffsets, voffsets = [], []
    for o1, l1, o2, l2 in offsets:
        koffsets += [l1, o1 + start]
        voffsets += [l2, o2 + start + len(ids)]
    out = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + len(keys) * 8, 0, 0)
    return out + struct.pack(f"{len(koffsets)}i", *koffsets) + struct.pack(f"{len(voffsets)}i", *voffsets) + ids + strs


def updated(po: Path = PO) -> dict[tuple, Entry]:
    """The sources' strings with the translations the .po has for them."""
    old = read_po(po)
    entries = extract()
    for key, entry in entries.items():
        if key in old:
            entry.msgstr = old[key].msgstr
    return entries


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--check", action="store_true", help="exit 1 if the .po or the .mo is out of date")
    ap.add_argument("--untranslated", metavar="JSON", help="write the strings without translation to JSON")
    ap.add_argument("--merge", metavar="JSON", help="fill translations from JSON ({msgid: msgstr})")
    args = ap.parse_args(argv)
    entries = updated()
    if args.merge:
        given = json.loads(Path(args.merge).read_text(encoding="utf-8"))
        by_id = {e.msgid: e for e in entries.values()}
        unknown = [k for k in given if k not in by_id]
        for msgid, text in given.items():
            if msgid in by_id and text:
                by_id[msgid].msgstr = list(text) if isinstance(text, list) else [text]
        if unknown:
            print(f"{len(unknown)} strings of {args.merge} are not in the sources (skipped), e.g. {unknown[0]!r}",
                  file=sys.stderr)
    text, mo = write_po(entries), mo_bytes(entries)
    if args.check:
        stale = [p.name for p, data in ((PO, text.encode()), (MO, mo)) if not p.exists() or p.read_bytes() != data]
        if stale:
            print(f"out of date: {', '.join(stale)} (run tools/cli_translations.py)", file=sys.stderr)
            return 1
        return 0
    PO.parent.mkdir(parents=True, exist_ok=True)
    PO.write_text(text, encoding="utf-8")
    MO.write_bytes(mo)
    missing = [e for e in entries.values() if not e.translated]
    if args.untranslated:
        Path(args.untranslated).write_text(json.dumps({e.msgid: ([e.msgid, e.plural] if e.plural else "")
                                                       for e in missing}, ensure_ascii=False, indent=1) + "\n",
                                           encoding="utf-8")
    print(f"{PO.relative_to(ROOT)}: {len(entries)} strings, {len(missing)} untranslated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
