"""Saved-state files: a damaged one is refused with a precise, cheap SavedStateError; writes are atomic through
core.model.files and leave nothing behind."""

import hashlib
import json
import os
import re
import struct
import time
import tracemalloc

import pytest

from core.engine import SavedStateError
from core.engine.memory import GuestMemory
from core.engine.savestate import MAGIC, read_saved_state, write_saved_state
from core.model.files import is_temp_name

from .conftest import MiB

HEADER = {"memory": 32 * MiB, "vcpus": 1, "clock_ns": 5}


@pytest.fixture
def saved(tmp_path):
    """A saved state of 32 MiB guest memory with 6 MiB of it touched; returns (path, memory)."""
    mem = GuestMemory(32 * MiB)
    for gpa in range(2 * MiB, 8 * MiB, 4096):
        mem.write(gpa, (gpa // 4096).to_bytes(4, "little") * 16)
    path = tmp_path / "vm.vmstate"
    size = write_saved_state(path, dict(HEADER), mem)
    assert size == path.stat().st_size > 6 * MiB
    yield path, mem
    mem.close()


def refusal(path, memory=None) -> SavedStateError:
    with pytest.raises(SavedStateError) as info:
        read_saved_state(path, memory)
    error = info.value
    assert "\n" not in str(error) and str(error).startswith(f"saved state {path} ")
    assert error.path == str(path) and error.reason and error.reason in str(error)
    return error


def test_round_trip(saved):
    path, mem = saved
    assert read_saved_state(path) == HEADER
    fresh = GuestMemory(32 * MiB)
    try:
        assert read_saved_state(path, fresh) == HEADER
        assert fresh.read(5 * MiB, 64) == mem.read(5 * MiB, 64) and fresh.resident_bytes() == 6 * MiB
    finally:
        fresh.close()


@pytest.mark.parametrize("keep", [0.999, 0.5, 0.01])
def test_a_truncated_file_is_named_truncated_from_its_size_alone(saved, keep):
    path, _ = saved
    full = path.stat().st_size
    with open(path, "r+b") as f:
        f.truncate(int(full * keep))
    started = time.perf_counter()
    error = refusal(path)
    elapsed = time.perf_counter() - started
    assert error.code == "truncated"
    assert f"is truncated: {int(full * keep):,} of {full:,} bytes" in str(error)
    assert elapsed < 0.05, f"{elapsed * 1000:.1f} ms: the size alone tells"


def test_cut_before_the_preamble_ends(tmp_path, saved):
    start = saved[0].read_bytes()[:32]
    path = tmp_path / "short.vmstate"
    for data, code, words in [(b"", "truncated", "is empty"), (start[:5], "truncated", "is truncated"),
                              (start[:18], "truncated", "is truncated"), (start[:31], "truncated", "is truncated"),
                              (b"not a saved state at all" * 4, "foreign", "not a Bulkhead saved state")]:
        path.write_bytes(data)
        error = refusal(path)
        assert (error.code, words in str(error)) == (code, True), str(error)


def test_a_flipped_bit_is_named_damaged_wherever_it_is(saved):
    path, _ = saved
    clean = path.read_bytes()
    header_len = struct.unpack_from("<I", clean, 12)[0]
    for at in (len(clean) // 2, 32 + header_len + 3, 40, len(clean) - 40, len(clean) - 1):
        raw = bytearray(clean)
        raw[at] ^= 0x10
        path.write_bytes(raw)
        error = refusal(path)
        assert error.code == "damaged" and "is damaged" in str(error), (at, str(error))
    raw = bytearray(clean)
    raw[16] ^= 1  # the file length in the preamble: its own checksum catches it
    path.write_bytes(raw)
    error = refusal(path)
    assert error.code == "damaged" and "preamble" in str(error)


def test_an_extended_file_says_by_how_much(saved):
    path, _ = saved
    with open(path, "ab") as f:
        f.write(bytes(100))
    error = refusal(path)
    assert error.code == "extended" and "100 bytes more than" in str(error)


def test_the_check_streams_and_holds_no_copy_of_the_file(saved):
    path, _ = saved
    tracemalloc.start()
    try:
        read_saved_state(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 3 * MiB, f"{peak / MiB:.1f} MiB held for a {path.stat().st_size / MiB:.0f} MiB file"


def test_a_damaged_file_leaves_nothing_to_restore_and_says_so_before_copying(saved):
    path, _ = saved
    fresh = GuestMemory(64 * MiB)
    try:
        error = refusal(path, fresh)
        assert error.code == "mismatch" and "33554432 bytes of memory, the VM has 67108864" in str(error)
        assert fresh.resident_bytes() == 0  # nothing was copied into the wrong memory
    finally:
        fresh.close()


def test_format_1_files_are_still_read(tmp_path, saved):
    _, mem = saved
    raw_header = json.dumps(HEADER, sort_keys=True).encode()
    body = MAGIC + struct.pack("<II", 1, len(raw_header)) + raw_header
    body += struct.pack("<QQ", 2 * MiB, 4096) + mem.read(2 * MiB, 4096) + struct.pack("<QQ", 2**64 - 1, 0)
    path = tmp_path / "v1.vmstate"
    path.write_bytes(body + hashlib.sha256(body).digest())
    assert read_saved_state(path) == HEADER
    path.write_bytes((body + hashlib.sha256(body).digest())[:-100])
    error = refusal(path)
    assert error.code == "damaged" and "cut short" in str(error)


def test_a_missing_or_odd_path_is_named(tmp_path):
    assert refusal(tmp_path / "gone.vmstate").code == "missing"
    assert refusal(tmp_path).code == "unreadable"
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    error = refusal(fifo)  # never blocks waiting for a writer
    assert error.code == "unreadable" and "not a regular file" in str(error)


class _FailingMemory:
    """Guest memory whose pages cannot be read: the save fails half-way (as a full disk or a kill would)."""

    def __init__(self, folder):
        self.folder = folder
        self.seen: list[str] = []

    def resident_runs(self):
        return [(0, 4096)]

    @property
    def view(self):
        self.seen = os.listdir(self.folder)
        raise OSError(28, "No space left on device")


def test_saving_is_atomic_with_the_one_temporary_name_pattern(tmp_path, saved):
    path, _ = saved
    before = path.read_bytes()
    memory = _FailingMemory(tmp_path)
    with pytest.raises(OSError, match="No space"):
        write_saved_state(path, dict(HEADER), memory)
    temps = [n for n in memory.seen if n != path.name]
    assert len(temps) == 1 and re.fullmatch(r"\.vm\.vmstate\.[0-9a-f]{8}\.tmp", temps[0]) and is_temp_name(temps[0])
    assert sorted(os.listdir(tmp_path)) == [path.name] and path.read_bytes() == before  # the old one stands
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_adopting_a_cut_saved_state_is_refused_with_the_reason(boot, tmp_path):
    import shutil

    from core.engine import VmState

    p, _ = boot("cut")
    path = tmp_path / "cut.vmstate"
    p.save(path)
    kept = tmp_path / "kept.vmstate"
    shutil.copyfile(path, kept)
    p.turn_off()  # discards the saved state
    with open(kept, "r+b") as f:
        f.truncate(kept.stat().st_size - 4096)
    with pytest.raises(SavedStateError, match="is truncated: .* bytes \\(4,096 missing") as info:
        p.adopt_saved_state(kept)
    assert info.value.code == "truncated" and p.state is VmState.OFF and kept.exists()
