"""OVA archives: a plain tar whose first member is the .ovf, with an optional .mf manifest of SHA1 / SHA256
sums. ``open_ova`` extracts it safely into a work folder (regular files only, names inside the folder, sizes
within the archive) and checks the manifest; ``parse_ova`` reads the extracted descriptor."""

from __future__ import annotations

import hashlib
import os
import re
import tarfile
from pathlib import Path, PurePosixPath

from core.convert.ovf import parse_ovf
from core.convert.source import MAX_DESCRIPTOR, ConvertError, Note, SourceVm
from core.convert.xmlsafe import short

__all__ = ["open_ova", "parse_ova"]

MAX_MEMBERS = 1000
_ALGOS = {"SHA1": "sha1", "SHA256": "sha256", "SHA512": "sha512"}
_LINE = re.compile(r"(SHA1|SHA256|SHA512)\s*\((.+)\)\s*=\s*([0-9A-Fa-f]+)")
_CHUNK = 1 << 20


def _member_name(ova: Path, member: tarfile.TarInfo) -> PurePosixPath:
    name = member.name
    what = f"member {short(name)!r}"
    if not name or "\x00" in name or "\\" in name:
        raise ConvertError(ova, f"{what} has a name that cannot be a file")
    rel = PurePosixPath(name)
    if rel.is_absolute() or re.match(r"^[A-Za-z]:", name):
        raise ConvertError(ova, f"{what} has an absolute path; refused")
    if ".." in rel.parts:
        raise ConvertError(ova, f"{what} leaves the archive's folder (..); refused")
    if member.issym() or member.islnk():
        raise ConvertError(ova, f"{what} is a link; refused")
    if member.isdev() or member.isfifo():
        raise ConvertError(ova, f"{what} is a device or FIFO; refused")
    if member.issparse():
        raise ConvertError(ova, f"{what} is a sparse tar member; refused")
    if not (member.isfile() or member.isdir()):
        raise ConvertError(ova, f"{what} is not a regular file; refused")
    parts = [p for p in rel.parts if p != "."]
    if not parts:
        raise ConvertError(ova, f"{what} has no name")
    return PurePosixPath(*parts)


def _read_manifest(ova: Path, name: str, data: bytes) -> dict[str, tuple[str, str]]:
    sums: dict[str, tuple[str, str]] = {}
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ConvertError(ova, f"manifest {short(name)!r} is not text") from None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        match = _LINE.fullmatch(line.strip())
        if not match:
            raise ConvertError(ova, f"manifest {short(name)!r} line {number} is not 'SHA256(file)= sum': "
                                    f"{short(line.strip())!r}")
        algo, member, digest = match.groups()
        if len(digest) != hashlib.new(_ALGOS[algo]).digest_size * 2:
            raise ConvertError(ova, f"manifest {short(name)!r} line {number}: a {algo} sum has the wrong length")
        parts = [p for p in PurePosixPath(member.strip()).parts if p != "."]
        sums[PurePosixPath(*parts).as_posix() if parts else member.strip()] = (_ALGOS[algo], digest.lower())
    return sums


def _remove(paths: list[Path]) -> None:
    for path in reversed(paths):
        try:
            path.unlink()
        except OSError:
            pass


def _extract(ova: Path, workdir: Path) -> tuple[Path, list[Note], list[Path]]:
    notes: list[Note] = []
    try:
        archive_size = ova.stat().st_size
        tar = tarfile.open(ova, mode="r:")
    except FileNotFoundError:
        raise ConvertError(ova, "does not exist") from None
    except (tarfile.TarError, OSError) as exc:
        raise ConvertError(ova, f"is not an OVA (a tar archive): {short(exc, 100)}") from None
    root = workdir.resolve()
    written: list[Path] = []
    hashes: dict[str, dict[str, str]] = {}
    manifest: tuple[str, bytes] | None = None
    descriptor: Path | None = None
    seen: set[str] = set()
    try:
        with tar:
            for index, member in enumerate(_members(ova, tar)):
                if index >= MAX_MEMBERS:
                    raise ConvertError(ova, f"holds more than {MAX_MEMBERS} members")
                rel = _member_name(ova, member)
                if index == 0 and (not member.isfile() or rel.suffix.lower() != ".ovf"):
                    raise ConvertError(ova, f"the first member is {short(member.name)!r}, not the .ovf descriptor")
                if member.isdir():
                    continue
                key = rel.as_posix()
                if key in seen:
                    raise ConvertError(ova, f"member {short(key)!r} appears twice")
                seen.add(key)
                if member.offset_data + member.size > archive_size:
                    raise ConvertError(ova, f"member {short(key)!r} claims {member.size} bytes, more than the archive "
                                            "holds (a truncated or forged archive)")
                if rel.suffix.lower() == ".mf" and manifest is None:
                    if member.size > MAX_DESCRIPTOR:
                        raise ConvertError(ova, f"manifest {short(key)!r} is larger than 16 MiB")
                    manifest = (key, _read(ova, tar, member))
                    continue
                target = root.joinpath(*rel.parts)
                if not target.parent.resolve().is_relative_to(root):
                    raise ConvertError(ova, f"member {short(key)!r} leads outside the work folder")
                target.parent.mkdir(parents=True, exist_ok=True)
                hashes[key] = _copy(ova, tar, member, target, written)
                if index == 0:
                    descriptor = target
        if descriptor is None:
            raise ConvertError(ova, "is empty: no .ovf descriptor")
        _check(ova, manifest, hashes, notes)
    except BaseException:
        _remove(written)
        raise
    if any(Path(k).suffix.lower() == ".cert" for k in hashes):
        notes.append(Note("warning", "ova.signature", "the package is signed (.cert); the signature is not checked"))
    return descriptor, notes, written


def _members(ova: Path, tar: tarfile.TarFile):
    while True:
        try:
            member = tar.next()
        except tarfile.TarError as exc:
            raise ConvertError(ova, f"is a damaged tar archive: {short(exc, 100)}") from None
        if member is None:
            return
        yield member


def _read(ova: Path, tar: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    handle = tar.extractfile(member)
    data = handle.read(member.size) if handle else b""
    if len(data) != member.size:
        raise ConvertError(ova, f"member {short(member.name)!r} is truncated")
    return data


def _copy(ova: Path, tar: tarfile.TarFile, member: tarfile.TarInfo, target: Path, written: list[Path]) -> dict:
    sums = {name: hashlib.new(name) for name in _ALGOS.values()}
    source = tar.extractfile(member)
    try:
        out = open(target, "xb")
    except FileExistsError:
        raise ConvertError(ova, f"cannot extract {short(member.name)!r}: {target} already exists") from None
    written.append(target)
    left = member.size
    with out:
        while left > 0:
            chunk = source.read(min(_CHUNK, left)) if source else b""
            if not chunk:
                raise ConvertError(ova, f"member {short(member.name)!r} is truncated")
            left -= len(chunk)
            out.write(chunk)
            for digest in sums.values():
                digest.update(chunk)
        out.flush()
        os.fsync(out.fileno())
    return {name: digest.hexdigest() for name, digest in sums.items()}


def _check(ova: Path, manifest, hashes: dict[str, dict[str, str]], notes: list[Note]) -> None:
    if manifest is None:
        notes.append(Note("warning", "ova.manifest", "the package has no manifest (.mf): its files are not checked"))
        return
    name, data = manifest
    sums = _read_manifest(ova, name, data)
    for member, (algo, digest) in sums.items():
        if member not in hashes:
            raise ConvertError(ova, f"manifest {short(name)!r} lists {short(member)!r}, which is not in the archive")
        if hashes[member][algo] != digest:
            raise ConvertError(ova, f"member {short(member)!r} does not match its {algo.upper()} sum in the "
                                    f"manifest {short(name)!r} (damaged or altered)")
    unlisted = [m for m in hashes if m not in sums and Path(m).suffix.lower() != ".cert"]
    if unlisted:
        notes.append(Note("warning", "ova.unlisted", "not in the manifest (not checked): " + ", ".join(
            short(m, 40) for m in unlisted[:5]) + (f" and {len(unlisted) - 5} more" if len(unlisted) > 5 else "")))
    algos = sorted({algo.upper() for algo, _ in sums.values()})
    notes.append(Note("info", "ova.manifest", f"{len(sums)} files checked against the manifest ({', '.join(algos)})"))


def open_ova(path, workdir) -> Path:
    """Extract the OVA at ``path`` into ``workdir`` (an existing folder) and check its manifest; returns the
    path of the extracted .ovf. On any failure nothing extracted is left behind."""
    return _extract(Path(path).absolute(), Path(workdir))[0]


def parse_ova(path, workdir) -> SourceVm:
    """The VM of the OVA at ``path`` (extracted into ``workdir``): format "ova", ``path`` the archive, the
    disks' paths the extracted members."""
    ova = Path(path).absolute()
    descriptor, notes, written = _extract(ova, Path(workdir))
    try:
        vm = parse_ovf(descriptor)
    except ConvertError as exc:
        _remove(written)
        # name the descriptor inside the archive, not the work copy just removed
        line = exc.params.get("line") or None
        where = f"{exc.params.get('file', '')}:{line}: " if line else f"{exc.params.get('file', '')}: "
        text = str(exc)
        what = text[len(where):] if text.startswith(where) else text
        inner = descriptor.relative_to(Path(workdir).resolve()).as_posix()
        raise ConvertError(f"{ova}/{inner}", what, line) from None
    except BaseException:
        _remove(written)
        raise
    vm.format = "ova"
    vm.path = str(ova)
    vm.report = notes + vm.report
    vm.info("ova.extracted", f"extracted into {Path(workdir).resolve()}")
    return vm
