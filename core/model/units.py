"""Sizes as people type them: 512M, 4G, 65536K, 1073741824."""

from __future__ import annotations

_UNITS = {"": 1, "B": 1, "K": 1 << 10, "KB": 1 << 10, "KIB": 1 << 10, "M": 1 << 20, "MB": 1 << 20, "MIB": 1 << 20,
          "G": 1 << 30, "GB": 1 << 30, "GIB": 1 << 30, "T": 1 << 40, "TB": 1 << 40, "TIB": 1 << 40}


def parse_size(text: str, default_unit: str = "M") -> int:
    raw = text.strip().upper().replace(" ", "")
    number = raw.rstrip("KMGTIB")
    unit = raw[len(number):] or default_unit
    if not number or unit not in _UNITS:
        raise ValueError(f"'{text}' is not a size (try 512M or 4G)")
    try:
        value = float(number)
    except ValueError:
        raise ValueError(f"'{text}' is not a size (try 512M or 4G)") from None
    if value <= 0:
        raise ValueError(f"'{text}' must be larger than zero")
    return int(value * _UNITS[unit])


def format_size(n: int) -> str:
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale:
            value = n / scale
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{n} B"
