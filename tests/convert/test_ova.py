"""OVA archives built with tarfile: safe extraction, the manifest (SHA1 and SHA256) checked member by member."""

from __future__ import annotations

import hashlib
import io
import re
import subprocess
import tarfile

import pytest

from core.convert.ova import open_ova, parse_ova
from core.convert.source import ConvertError
from tests.convert.samples_xml import (
    envelope,
    needs_qemu_img,
    ova_from_folder,
    standard_items,
    system,
    write_ova,
    write_ovf,
)


@pytest.fixture
def package(tmp_path):
    if needs_qemu_img.args[0]:
        pytest.skip("qemu-img is not installed")
    return write_ovf(tmp_path / "pkg", "1.x", name="web", disk_fmt="vmdk")


@pytest.fixture
def work(tmp_path):
    path = tmp_path / "work"
    path.mkdir()
    return path


def codes(vm) -> list[str]:
    return [note.code for note in vm.report]


@pytest.mark.parametrize("algo", ["sha1", "sha256"])
def test_an_ova_with_a_manifest_is_extracted_and_checked(tmp_path, package, work, algo):
    ova = ova_from_folder(tmp_path / "web.ova", package, manifest=True, algo=algo)
    vm = parse_ova(ova, work)
    assert (vm.format, vm.path, vm.name, vm.memory) == ("ova", str(ova.absolute()), "web", 1 << 30)
    [disk] = vm.disks
    assert disk.path == str((work / "web-disk1.vmdk").resolve()) and disk.format == "vmdk"
    assert (work / "web-disk1.vmdk").read_bytes() == (package.parent / "web-disk1.vmdk").read_bytes()
    [note] = [n for n in vm.report if n.code == "ova.manifest"]
    assert note.severity == "info" and algo.upper() in note.text and "2 files" in note.text
    assert not (work / "web.mf").exists()
    subprocess.run(["qemu-img", "info", "-f", "vmdk", disk.path], check=True, capture_output=True)


def test_an_ova_without_a_manifest_is_read_with_a_warning(tmp_path, package, work):
    vm = parse_ova(ova_from_folder(tmp_path / "web.ova", package, manifest=False), work)
    assert [n.severity for n in vm.report if n.code == "ova.manifest"] == ["warning"]
    other = tmp_path / "work2"
    other.mkdir()
    assert open_ova(tmp_path / "web.ova", other) == (other / "web.ovf").resolve()


@pytest.mark.parametrize("algo", ["sha1", "sha256"])
def test_a_wrong_sum_names_the_member_and_leaves_nothing(tmp_path, package, work, algo):
    ova = ova_from_folder(tmp_path / "web.ova", package, manifest=True, algo=algo, wrong="web-disk1.vmdk")
    with pytest.raises(ConvertError, match=rf"member 'web-disk1.vmdk' does not match its {algo.upper()} sum"):
        open_ova(ova, work)
    assert list(work.iterdir()) == []


def _ovf_bytes() -> bytes:
    return envelope("1.x", [], [], [system("1.x", "vm", standard_items("1.x", disk_ids=()))]).encode()


def _tar(path, entries):
    """``entries``: TarInfo-building tuples (name, data, tweak) written in order."""
    with tarfile.open(path, "w", format=tarfile.GNU_FORMAT) as tar:
        for name, data, tweak in entries:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            if tweak:
                tweak(info)
            tar.addfile(info, io.BytesIO(data) if info.isfile() else None)
    return path


def _link(info):
    info.type, info.linkname, info.size = tarfile.SYMTYPE, "/etc/passwd", 0


def _hardlink(info):
    info.type, info.linkname, info.size = tarfile.LNKTYPE, "vm.ovf", 0


def _device(info):
    info.type, info.devmajor, info.devminor, info.size = tarfile.CHRTYPE, 1, 3, 0


@pytest.mark.parametrize("name, tweak, why", [
    ("../evil.vmdk", None, r"\(\.\.\)"), ("/tmp/evil.vmdk", None, "absolute"), ("a/../../evil", None, r"\(\.\.\)"),
    ("link.vmdk", _link, "link"), ("hard.vmdk", _hardlink, "link"), ("null", _device, "device"),
])
def test_unsafe_members_are_refused(tmp_path, work, name, tweak, why):
    ova = _tar(tmp_path / "bad.ova", [("vm.ovf", _ovf_bytes(), None), (name, b"x" * 10, tweak)])
    with pytest.raises(ConvertError, match=why):
        open_ova(ova, work)
    assert list(work.iterdir()) == []
    assert not (tmp_path / "evil.vmdk").exists()


def test_the_first_member_must_be_the_descriptor(tmp_path, work):
    ova = write_ova(tmp_path / "x.ova", [("disk.vmdk", b"\0" * 100), ("vm.ovf", _ovf_bytes())])
    with pytest.raises(ConvertError, match="first member is 'disk.vmdk', not the .ovf"):
        open_ova(ova, work)


def test_a_member_larger_than_the_archive_is_refused(tmp_path, work):
    ova = write_ova(tmp_path / "x.ova", [("vm.ovf", _ovf_bytes()), ("disk.vmdk", b"\1" * 5000)])
    data = bytearray(ova.read_bytes())
    header = data.index(b"disk.vmdk")
    size_field = header + 124
    data[size_field:size_field + 12] = b"77777777777\0"  # 8 GiB claimed
    data[header + 148:header + 156] = b"        "
    checksum = sum(data[header:header + 512])
    data[header + 148:header + 156] = b"%06o\0 " % checksum
    truncated = tmp_path / "forged.ova"
    truncated.write_bytes(bytes(data))
    with pytest.raises(ConvertError, match="more than the archive holds"):
        open_ova(truncated, work)
    assert list(work.iterdir()) == []


def test_a_manifest_listing_a_missing_member_or_malformed_is_refused(tmp_path, work):
    ovf = _ovf_bytes()
    good = f"SHA256(vm.ovf)= {hashlib.sha256(ovf).hexdigest()}\n"
    for text, why in [(good + f"SHA256(gone.vmdk)= {'0' * 64}\n", "'gone.vmdk', which is not in the archive"),
                      ("MD5(vm.ovf)= abc\n", "line 1 is not"), ("SHA1(vm.ovf)= abcd\n", "wrong length")]:
        ova = write_ova(tmp_path / "m.ova", [("vm.ovf", ovf), ("vm.mf", text.encode())])
        with pytest.raises(ConvertError, match=why):
            open_ova(ova, work)
        assert list(work.iterdir()) == []


def test_not_a_tar_and_duplicates(tmp_path, work):
    junk = tmp_path / "junk.ova"
    junk.write_bytes(b"this is not a tar archive" * 40)
    with pytest.raises(ConvertError, match="not an OVA"):
        open_ova(junk, work)
    ova = write_ova(tmp_path / "d.ova", [("vm.ovf", _ovf_bytes()), ("a.img", b"1"), ("a.img", b"2")])
    with pytest.raises(ConvertError, match="appears twice"):
        open_ova(ova, work)
    with pytest.raises(ConvertError, match="does not exist"):
        open_ova(tmp_path / "nothing.ova", work)


def test_a_bad_descriptor_inside_leaves_nothing(tmp_path, work):
    ova = write_ova(tmp_path / "x.ova", [("vm.ovf", b"<Envelope><oops></Envelope>"), ("d.img", b"\0" * 10)])
    with pytest.raises(ConvertError, match="^" + re.escape(f"{tmp_path}/x.ova/vm.ovf:1: not well-formed")):
        parse_ova(ova, work)
    assert list(work.iterdir()) == []


def test_manifest_names_with_a_leading_dot_slash_match(tmp_path, work):
    ovf = _ovf_bytes()
    text = f"SHA1 (./vm.ovf) = {hashlib.sha1(ovf).hexdigest()}\n"
    ova = write_ova(tmp_path / "m.ova", [("./vm.ovf", ovf), ("vm.mf", text.encode())])
    assert open_ova(ova, work) == (work / "vm.ovf").resolve()
