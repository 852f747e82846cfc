"""Sizes as people type them: 512M, 4G, 65536K, 1073741824."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where a size is parsed: fractions and decimal cost a command 2.5 ms at start
    from fractions import Fraction

_UNITS = {"": 1, "B": 1, "K": 1 << 10, "KB": 1 << 10, "KIB": 1 << 10, "M": 1 << 20, "MB": 1 << 20, "MIB": 1 << 20,
          "G": 1 << 30, "GB": 1 << 30, "GIB": 1 << 30, "T": 1 << 40, "TB": 1 << 40, "TIB": 1 << 40}


_NUMBER = re.compile(r"[0-9]{1,20}(\.[0-9]{1,12})?|\.[0-9]{1,12}")
SIZE_MAX = (1 << 63) - 1


def split_size(text: str, default_unit: str = "M") -> tuple[Fraction, str]:
    """The number and the unit of a size as typed: ("9999", "GB") -> (Fraction(9999), "GIB"). The unit is named the
    binary way whatever was typed (M, MB and MiB are all MiB, as Hyper-V's MB is); a bare number is in
    ``default_unit``. ValueError for anything that is not a number with one of these units (no range checks)."""
    if not isinstance(text, str) or len(text) > 64:
        raise ValueError(f"{text!r:.40} is not a size (try 512M or 4G)")
    raw = text.strip().upper().replace(" ", "")
    number = raw.rstrip("KMGTIB")
    unit = raw[len(number):] or default_unit.upper()
    if not _NUMBER.fullmatch(number) or unit not in _UNITS:
        raise ValueError(f"'{text}' is not a size (try 512M or 4G)")
    binary = {1: "B", 1 << 10: "KIB", 1 << 20: "MIB", 1 << 30: "GIB", 1 << 40: "TIB"}[_UNITS[unit]]
    from fractions import Fraction

    return Fraction(number), binary


def parse_size(text: str, default_unit: str = "M") -> int:
    """Bytes from "512M", "4 GiB", "1.5G" or "65536K" (a bare number is in ``default_unit``); ValueError with a
    one-line reason for anything else: negative, zero, NaN, infinity, exponents, or more than 2^63 - 1 bytes."""
    number, unit = split_size(text, default_unit)
    value = number * _UNITS[unit]
    if value <= 0:
        raise ValueError(f"'{text}' must be larger than zero")
    if value > SIZE_MAX:
        raise ValueError(f"'{text}' is too large")
    return int(value)


def format_size(n: int) -> str:
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale:
            value = n / scale
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{n} B"
