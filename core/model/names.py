"""Names people give VMs, switches and checkpoints: what is allowed, and when two names are the same.

A name is shown in lists, job histories, logs and file names sooner or later, so it is refused if it could break
one of them or mislead a reader: control and format characters (bidi overrides, zero-width spaces, a BOM), lone
surrogates, path separators. A name is stored in NFC; two names collide when they match after NFKC and case
folding, so "ｂａｓｅ１" and "Base1" cannot both exist.
"""

from __future__ import annotations

import unicodedata

from .errors import UsageError

NAME_MAX = 64
# categories never allowed in a name: control, format (bidi controls, zero-width, BOM), surrogate, private use,
# unassigned, line and paragraph separators
_REFUSED_CATEGORIES = {"Cc": "control", "Cf": "format", "Cs": "lone surrogate", "Co": "private-use",
                       "Cn": "unassigned", "Zl": "line separator", "Zp": "paragraph separator"}


class NameError_(UsageError):  # noqa: N801 - not the builtin
    code = "name.invalid"


def short(value: object, limit: int = 40) -> str:
    """``repr`` of an untrusted value, cut to ``limit`` characters, safe to print (no lone surrogates)."""
    text = repr(value)
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text if len(text) <= limit else text[: limit - 3] + "..."


def bad_character(text: str, allow_newlines: bool = False) -> tuple[str, str] | None:
    """The first character of ``text`` no name or one-line text may hold, with its kind; None if all are fine."""
    for ch in text:
        if allow_newlines and ch in "\n\t":
            continue
        kind = _REFUSED_CATEGORIES.get(unicodedata.category(ch))
        if kind:
            return ch, kind
    return None


def describe(ch: str) -> str:
    return f"U+{ord(ch):04X}" + (f" {unicodedata.name(ch)}" if unicodedata.name(ch, "") else "")


def validate_name(name: object, what: str = "a VM name", max_length: int = NAME_MAX) -> str:
    """The name as stored (spaces trimmed, NFC), or UsageError saying why it cannot be one."""
    if not isinstance(name, str):
        raise NameError_(f"{what} must be text (got {short(name)})")
    bad = bad_character(name)
    if bad is not None:
        raise NameError_(f"{what} cannot contain {bad[1]} characters (found {describe(bad[0])})")
    name = unicodedata.normalize("NFC", name.strip())
    if not name:
        raise NameError_(f"{what} cannot be empty")
    if len(name) > max_length:
        raise NameError_(f"{what} can have at most {max_length} characters (got {len(name)})")
    if "/" in name or "\\" in name:
        raise NameError_(f"{what} cannot contain '/' or '\\' (got {name!r})")
    if name.startswith("."):
        raise NameError_(f"{what} cannot start with '.' (got {name!r})")
    if ".." in name:
        raise NameError_(f"{what} cannot contain '..' (got {name!r})")
    return name


def name_key(name: str) -> str:
    """What two names are compared by: NFKC, then case folded ("ｂａｓｅ１" and "BASE1" are one name)."""
    return unicodedata.normalize("NFKC", name).casefold()


def same_name(a: str, b: str) -> bool:
    return name_key(a) == name_key(b)
