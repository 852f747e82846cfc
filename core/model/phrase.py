"""A line of English built by core code that the console may show in its own language.

A ``Phrase`` is the English text itself (a ``str``: the command line, the API and tests use it unchanged) that also
keeps what it was made of: ``.template``, the English sentence with named placeholders ("Memory: {free} free of
{total}"), and ``.params``, each placeholder's value. A value is a string, another Phrase (a word the console
translates too) or a tuple of them (shown joined by ", "). The console translates the template (context
"Placement", gui/placement_words.py lists them for the translators) and fills in the values; where it has no
translation it shows the text.

Every such line is made by ``phrase(template, **params)``, so it is written once.
"""

from __future__ import annotations

__all__ = ["Phrase", "phrase", "value_text"]

SEPARATOR = ", "


def value_text(value) -> str:
    """A placeholder's value as the English text shows it (a tuple joined by ", ")."""
    if isinstance(value, (tuple, list)):
        return SEPARATOR.join(value_text(v) for v in value)
    return str(value)


class Phrase(str):
    """English text with its template and parameters (see the module's text)."""

    template: str
    params: dict

    def __new__(cls, template: str, params: dict | None = None) -> Phrase:
        params = dict(params or {})
        self = super().__new__(cls, template.format(**{k: value_text(v) for k, v in params.items()}))
        self.template = template
        self.params = params
        return self

    def __reduce__(self):  # copy, deepcopy and pickle make the same Phrase again
        return (Phrase, (self.template, self.params))

    def __reduce_ex__(self, protocol):
        return self.__reduce__()


def phrase(template: str, **params) -> Phrase:
    """The line ``template`` filled with ``params`` (strings, Phrases or tuples of them), as a Phrase."""
    return Phrase(template, params)
