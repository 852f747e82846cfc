"""A host method's parameters, declared once: name, type, range, default, which kinds of host take it, and how the
command line spells it. Every request is checked against these before any host code runs, so a wrong type, NaN,
infinity, an out-of-range number, an over-long or malformed string is a usage error with one line, never an
internal error."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from .errors import UsageError
from .names import bad_character, short

REQUIRED = object()
INT_MIN, INT_MAX = -(1 << 63), (1 << 63) - 1
STR_MAX = 4096
LIST_MAX = 10_000
KINDS = ("bulkhead", "libvirt")  # the embedded engine's host service (here or remote), libvirt hosts


class ParamError(UsageError):
    code = "param.invalid"


@dataclass(frozen=True)
class Param:
    name: str
    type: str  # str | text (several lines) | raw (any characters: console input) | path | int | float | bool | size
    #            | list | dict | any
    default: Any = REQUIRED
    min: float | None = None
    max: float | None = None
    max_length: int = STR_MAX
    choices: tuple = ()
    nullable: bool = False  # None is accepted (and means "not given" or "delete")
    kinds: tuple[str, ...] = KINDS  # the kinds of host that take it; others refuse a value other than the default
    option: str = ""  # the command line's spelling, e.g. --memory (vm new, vm set)
    help: str = ""
    hint: str = ""  # added to the refusal where a host kind does not take it
    label: str = ""  # as the console names it

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    def check(self, value: Any, where: str) -> Any:
        """The value if it fits; ParamError naming ``where`` (the method) and this parameter otherwise."""
        if value is None and (self.nullable or self.default is None):
            return None
        what = f"{where}: {self.name}"
        kind = self.type
        if kind == "any":
            return value
        if kind == "bool":
            if not isinstance(value, bool):
                raise ParamError(f"{what} must be true or false (got {short(value)})")
            return value
        if kind in ("int", "size"):
            if not isinstance(value, int) or isinstance(value, bool):
                if kind == "size":
                    raise ParamError(f"{what} must be a number of bytes (got {short(value)})")
                raise ParamError(f"{what} must be a whole number (got {short(value)})")
            lo = self.min if self.min is not None else (1 if kind == "size" else INT_MIN)
            hi = self.max if self.max is not None else INT_MAX
            if not lo <= value <= hi:
                named = f"{what} ({self.label.lower()})" if self.label and self.label.lower() != self.name else what
                raise ParamError(f"{named} must be between {_num(lo)} and {_num(hi)} (got {short(value)})")
            return value
        if kind == "float":
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise ParamError(f"{what} must be a number (got {short(value)})")
            if not math.isfinite(value):
                raise ParamError(f"{what} must be a finite number (got {short(value)})")
            if (self.min is not None and value < self.min) or (self.max is not None and value > self.max):
                raise ParamError(f"{what} must be between {_num(self.min)} and {_num(self.max)} (got {short(value)})")
            return float(value)
        if kind in ("str", "text", "path"):
            if not isinstance(value, str):
                raise ParamError(f"{what} must be text (got {short(value)})")
            if len(value) > self.max_length:
                raise ParamError(f"{what} can have at most {self.max_length} characters (got {len(value)})")
            bad = bad_character(value, allow_newlines=kind == "text")
            if bad is not None and not (kind == "text" and bad[1] == "format"):
                raise ParamError(f"{what} cannot contain {bad[1]} characters (found U+{ord(bad[0]):04X})")
            if self.choices and value not in self.choices:
                raise ParamError(f"{what}: choose {', '.join(map(str, self.choices))} (got {short(value)})")
            return value
        if kind == "raw":
            if not isinstance(value, str):
                raise ParamError(f"{what} must be text (got {short(value)})")
            if len(value) > self.max_length:
                raise ParamError(f"{what} can have at most {self.max_length} characters (got {len(value)})")
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise ParamError(f"{what} cannot contain lone surrogates") from None
            return value
        if kind == "list":
            if not isinstance(value, list):
                raise ParamError(f"{what} must be a list (got {short(value)})")
            if len(value) > LIST_MAX:
                raise ParamError(f"{what} can have at most {LIST_MAX} entries")
            return value
        if kind == "dict":
            if not isinstance(value, dict):
                raise ParamError(f"{what} must be an object (got {short(value)})")
            return value
        raise AssertionError(f"unknown parameter type {kind}")


def _num(value) -> str:
    if value is None:
        return "any"
    return f"{value:g}" if isinstance(value, float) else str(value)


def check_params(where: str, declared: tuple[Param, ...], given: dict, kind: str | None = None,
                 doing: str = "") -> dict:
    """``given`` checked against ``declared``: unknown and missing ones, each value's type and range, and (with
    ``kind``) parameters that kind of host does not take. Returns the checked values (defaults not filled in)."""
    if not isinstance(given, dict):
        raise ParamError("params must be an object")
    by_name = {p.name: p for p in declared}
    for key in given:
        if not isinstance(key, str) or key not in by_name:
            takes = ", ".join(p.name for p in declared) or "nothing"
            raise ParamError(f"{where}: unexpected keyword argument {short(key)} (it takes {takes})")
    missing = [p.name for p in declared if p.required and p.name not in given]
    if missing:
        raise ParamError(f"{where}: missing required argument {missing[0]!r}")
    out = {key: by_name[key].check(value, where) for key, value in given.items()}
    if kind is not None:
        foreign = [p for p in declared if kind not in p.kinds and p.name in out and out[p.name] != p.default
                   and out[p.name] not in (None, "", 0, False)]
        if foreign:
            names = ", ".join(p.name for p in foreign)
            others = " or ".join(sorted({k for p in foreign for k in p.kinds}))
            hint = next((p.hint for p in foreign if p.hint), "")
            raise ParamError(f"{names}: only a {others} host takes {'these' if len(foreign) > 1 else 'this'}"
                             f"{' when ' + doing if doing else ''}{hint}")
    return out


def defaults(declared: tuple[Param, ...]) -> dict:
    return {p.name: p.default for p in declared if not p.required}


@dataclass(frozen=True)
class ParamSet:
    """An ordered, named group of parameters (the new-VM settings, a method's arguments)."""

    params: tuple[Param, ...] = field(default_factory=tuple)

    def __iter__(self):
        return iter(self.params)

    def __getitem__(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)

    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params)
