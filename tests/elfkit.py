"""Build small ELF64 images in tests: good ones around a few instructions, and each kind of broken one."""

from __future__ import annotations

import struct

LOAD = 0x100000


def make_elf(code: bytes, *, entry: int | None = None, paddr: int = LOAD, flags: int = 5, ei_class: int = 2,
             machine: int = 62, e_type: int = 2, memsz: int | None = None) -> bytes:
    ehdr_size, phdr_size = 64, 56
    offset = ehdr_size + phdr_size
    entry = paddr if entry is None else entry
    ident = b"\x7fELF" + bytes((ei_class, 1, 1)) + bytes(9)
    ehdr = ident + struct.pack("<HHIQQQIHHHHHH", e_type, machine, 1, entry, ehdr_size, 0, 0, ehdr_size, phdr_size,
                               1, 64, 0, 0)
    phdr = struct.pack("<IIQQQQQQ", 1, flags, offset, paddr, paddr, len(code), memsz or len(code), 16)
    return ehdr + phdr + code


# mov dx, 0x501 ; xor eax, eax ; out dx, al ; jmp $   -- powers off at once
POWEROFF = bytes.fromhex("66ba0105" "31c0" "ee" "ebfe")
