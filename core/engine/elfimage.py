"""ELF64 guest images: parse, validate against the partition's RAM, load.

An image path is untrusted: ``load_image`` looks at what the path is before reading anything (a regular file, no
larger than ``MAX_IMAGE_SIZE``), then reads and checks the 64-byte ELF header, and only then the rest, so a device,
a FIFO, a kernel interface file or a huge file is refused in milliseconds without reading it.
"""

from __future__ import annotations

import errno
import os
import stat
import struct
from dataclasses import dataclass

from .platform import LOAD_FLOOR

MAX_IMAGE_SIZE = 256 << 20  # a guest kernel with its built-in initramfs; the image is held in memory whole

PT_LOAD = 1
PF_X = 1
EM_X86_64 = 62
ET_EXEC = 2


class ImageError(ValueError):
    """A guest image that cannot be run; the message says why in one line."""


@dataclass(frozen=True)
class Segment:
    paddr: int
    filesz: int
    memsz: int
    offset: int
    flags: int


@dataclass(frozen=True)
class GuestImage:
    path: str
    data: bytes
    entry: int
    segments: tuple[Segment, ...]
    symbols: dict[str, int]

    @property
    def end(self) -> int:
        return max(s.paddr + s.memsz for s in self.segments)

    def check_fits(self, mem_size: int) -> None:
        for s in self.segments:
            if s.paddr < LOAD_FLOOR or s.paddr + s.memsz > mem_size:
                raise ImageError(
                    f"{self.path}: segment at 0x{s.paddr:x}+0x{s.memsz:x} lies outside guest memory "
                    f"(0x{LOAD_FLOOR:x}–0x{mem_size:x})"
                )

    def load_into(self, memory) -> None:
        """Copy the file part of each segment. Guest memory is all zeros when an image loads (fresh or just
        cleared), so the zero tail of each segment (.bss) is left untouched and costs the host nothing."""
        self.check_fits(memory.size)
        for s in self.segments:
            memory.write(s.paddr, self.data[s.offset : s.offset + s.filesz])


def check_header(data: bytes, path: str = "<image>") -> None:
    """Refuse what the first 64 bytes already show is no image this platform runs."""
    if len(data) < 64:
        raise ImageError(f"{path}: truncated: {len(data)} bytes is shorter than an ELF header")
    if data[:4] != b"\x7fELF":
        raise ImageError(f"{path}: not an ELF image (bad magic)")
    if data[4] != 2:
        raise ImageError(f"{path}: wrong ELF class {data[4]} (need 64-bit, class 2)")
    if data[5] != 1:
        raise ImageError(f"{path}: wrong byte order (need little-endian)")
    e_type, e_machine = struct.unpack_from("<HH", data, 16)
    if e_machine != EM_X86_64:
        raise ImageError(f"{path}: wrong machine {e_machine} (need x86-64, 62)")
    if e_type != ET_EXEC:
        raise ImageError(f"{path}: ELF type {e_type} is not an executable (need ET_EXEC)")
    e_phentsize, e_phnum = struct.unpack_from("<HH", data, 54)
    if e_phnum == 0:
        raise ImageError(f"{path}: no program headers")
    if e_phentsize != 56:
        raise ImageError(f"{path}: program header size {e_phentsize} (need 56)")


def parse_image(data: bytes, path: str = "<image>") -> GuestImage:
    """Validate an ELF64 x86-64 executable; every refusal is one line naming what is wrong."""
    check_header(data, path)
    (_e_type, _e_machine, _version, e_entry, e_phoff, e_shoff, _flags, _ehsize, _e_phentsize, e_phnum,
     e_shentsize, e_shnum, _e_shstrndx) = struct.unpack_from("<HHIQQQIHHHHHH", data, 16)
    if e_phoff + e_phnum * 56 > len(data):
        raise ImageError(f"{path}: truncated: program headers end past the file")
    segments = []
    for i in range(e_phnum):
        p_type, p_flags, p_offset, _vaddr, p_paddr, p_filesz, p_memsz, _align = struct.unpack_from(
            "<IIQQQQQQ", data, e_phoff + i * 56
        )
        if p_type != PT_LOAD:
            continue
        if p_filesz > p_memsz:
            raise ImageError(f"{path}: segment {i} has file size larger than memory size")
        if p_offset + p_filesz > len(data):
            raise ImageError(f"{path}: truncated: segment {i} data ends past the file")
        if p_paddr + p_memsz > 1 << 48:
            raise ImageError(f"{path}: segment {i} address 0x{p_paddr:x} is beyond any guest memory")
        segments.append(Segment(p_paddr, p_filesz, p_memsz, p_offset, p_flags))
    if not segments:
        raise ImageError(f"{path}: no loadable segments")
    ordered = sorted(segments, key=lambda s: s.paddr)
    for a, b in zip(ordered, ordered[1:]):
        if a.paddr + a.memsz > b.paddr:
            raise ImageError(f"{path}: segments at 0x{a.paddr:x} and 0x{b.paddr:x} overlap")
    if not any(s.flags & PF_X and s.paddr <= e_entry < s.paddr + s.memsz for s in segments):
        raise ImageError(f"{path}: entry point 0x{e_entry:x} is outside every executable segment")
    symbols = _symbols(data, e_shoff, e_shentsize, e_shnum)
    return GuestImage(path, bytes(data), e_entry, tuple(segments), symbols)


def _symbols(data: bytes, shoff: int, shentsize: int, shnum: int) -> dict[str, int]:
    """The symbol table, when present and sane; a damaged one only costs the names."""
    if not shoff or shentsize != 64 or shoff + shnum * 64 > len(data):
        return {}
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * 64) for i in range(shnum)]
    out: dict[str, int] = {}
    for _name, sh_type, _f, _a, off, size, link, _info, _al, entsize in sections:
        if sh_type != 2 or entsize != 24 or link >= shnum or off + size > len(data):
            continue
        stroff, strsize = sections[link][4], sections[link][5]
        if stroff + strsize > len(data):
            continue
        for j in range(size // 24):
            st_name, _inf, _oth, _shn, st_value, _sz = struct.unpack_from("<IBBHQQ", data, off + j * 24)
            if 0 < st_name < strsize:
                end = data.find(b"\0", stroff + st_name, stroff + strsize)
                if end > 0:
                    out[data[stroff + st_name : end].decode("ascii", "replace")] = st_value
    return out


_KINDS = ((stat.S_ISDIR, "is a folder"), (stat.S_ISCHR, "is a character device"),
          (stat.S_ISBLK, "is a block device"), (stat.S_ISFIFO, "is a FIFO (named pipe)"),
          (stat.S_ISSOCK, "is a socket"))


def _not_regular(mode: int) -> str:
    return next((what for test, what in _KINDS if test(mode)), "is not a regular file")


def load_image(path: str | os.PathLike) -> GuestImage:
    """Read and validate the image at ``path``. Refused in one line, without reading more than its header: a
    missing path, anything but a regular file, an empty or oversized file, a file that is not an x86-64 ELF
    executable. At most ``MAX_IMAGE_SIZE`` bytes are ever read."""
    if not isinstance(path, (str, os.PathLike)):
        raise ImageError(f"a guest image is a file path, not {type(path).__name__}")
    shown = str(path)
    try:
        st = os.stat(path)  # no open yet: opening a device or a FIFO can block or act
        if not stat.S_ISREG(st.st_mode):
            raise ImageError(f"{shown}: {_not_regular(st.st_mode)}, not a guest image")
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise ImageError(f"{shown}: no such guest image") from None
    except PermissionError:
        raise ImageError(f"{shown}: permission denied") from None
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise ImageError(f"{shown}: a loop of symbolic links, not a guest image") from None
        raise ImageError(f"{shown}: cannot open ({e.strerror})") from None
    except (ValueError, UnicodeError) as e:  # a NUL byte, an unencodable name
        raise ImageError(f"{shown!r}: not a usable file name ({e})") from None
    try:
        st = os.fstat(fd)  # what was opened, which may not be what was looked at
        if not stat.S_ISREG(st.st_mode):
            raise ImageError(f"{shown}: {_not_regular(st.st_mode)}, not a guest image")
        if st.st_size == 0:
            raise ImageError(f"{shown}: empty (0 bytes), not a guest image")
        if st.st_size > MAX_IMAGE_SIZE:
            raise ImageError(f"{shown}: {st.st_size:,} bytes is larger than a guest image may be "
                             f"({MAX_IMAGE_SIZE >> 20} MiB)")
        header = os.pread(fd, 64, 0)
        check_header(header, shown)
        data = header + _read_to(fd, 64, min(st.st_size, MAX_IMAGE_SIZE))
    except OSError as e:
        raise ImageError(f"{shown}: cannot be read ({e.strerror})") from None
    finally:
        os.close(fd)
    return parse_image(data, shown)


def _read_to(fd: int, start: int, end: int) -> bytes:
    """The bytes from ``start`` up to ``end`` (or the end of the file, if it shrank meanwhile)."""
    parts, pos = [], start
    while pos < end:
        chunk = os.pread(fd, min(end - pos, 1 << 20), pos)
        if not chunk:
            break
        parts.append(chunk)
        pos += len(chunk)
    return b"".join(parts)
