"""A host's refusals in the user's language, by their code.

Every BulkheadError carries a ``code`` ("vm.not_found", "vm.state", or its kind where it has none of its own), its
``params`` and the host's English text. The catalog of a language (``messages_de.CATALOG``) lists for a code the
English sentences the hosts say under it, as templates (``"no VM named '{vm}'"``), each with its translation
(``"Es gibt keinen virtuellen Computer namens „{vm}“"``). ``localized`` finds the template the English text is, takes
the placeholders' values from it (a state or an operation is translated too) and fills the translation; a text the
catalog does not know (a new code, a sentence of another version) stays as the host said it. Reading the values
from the text rather than from ``params`` means a refusal that crossed the protocol from an older host, or one
raised without params, is translated all the same.

The command line (core.cli) and the console (gui, through its own language) both call ``localized``; the console's
words stay in Qt's catalog, these in one place here.
"""

from __future__ import annotations

import re
from functools import cache

__all__ = ["LANGUAGES", "catalog", "localized", "localized_text", "placeholders", "translate_text"]

LANGUAGES = ("de",)  # those with a catalog; English is the hosts' own
_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


def placeholders(template: str) -> list[str]:
    """The placeholder names of a template, in order (repeated ones once)."""
    return list(dict.fromkeys(_PLACEHOLDER.findall(template)))


def catalog(language: str):
    """The catalog module of ``language`` ("de", "de_AT", "de-DE" ...), or None (English, or no catalog)."""
    base = re.split(r"[_.@-]", (language or "").strip())[0].lower()
    if base == "de":
        from . import messages_de

        return messages_de
    return None


@cache
def _pattern(template: str) -> re.Pattern:
    parts, seen, at = [], set(), 0
    for m in _PLACEHOLDER.finditer(template):
        parts.append(re.escape(template[at:m.start()]))
        name = m.group(1)
        parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.+?)")
        seen.add(name)
        at = m.end()
    parts.append(re.escape(template[at:]))
    return re.compile("".join(parts), re.DOTALL)


def translate_text(code: str, message: str, language: str) -> str | None:
    """``message`` (a host's English text under ``code``) in ``language``, or None where the catalog does not know
    it. ``code`` may also be an error kind ("not_found", "usage"), which a refusal without a code of its own has."""
    cat = catalog(language)
    if cat is None or not message:
        return None
    for english, translated in cat.CATALOG.get(code, ()):
        m = _pattern(english).fullmatch(message)
        if m:
            values = {name: cat.value(name, text) for name, text in m.groupdict().items()}
            return translated.format(**values)
    return None


def localized(error, language: str) -> str:
    """An error (a BulkheadError, or its protocol dict) in ``language``: the catalog's sentence for its code (or
    kind); one raised with no code of its own is found by its sentence under any code; else its message as it
    came."""
    if isinstance(error, dict):
        code, kind, message = error.get("code") or "", error.get("kind") or "", str(error.get("message", ""))
    else:
        code, kind, message = getattr(error, "code", "") or "", getattr(error, "kind", "") or "", str(error)
    for key in dict.fromkeys(k for k in (code, kind) if k):
        text = translate_text(key, message, language)
        if text is not None:
            return text
    return localized_text(message, language)


def localized_text(message: str, language: str) -> str:
    """A refusal known only as its English text (its code lost on the way): the first catalog sentence it is, in
    ``language``; each line of a text of several lines on its own; else the text as it came."""
    cat = catalog(language)
    if cat is None or not message:
        return message
    out = []
    for line in message.split("\n"):
        for code in cat.CATALOG:
            text = translate_text(code, line, language)
            if text is not None:
                line = text
                break
        out.append(line)
    return "\n".join(out)
