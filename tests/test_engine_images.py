"""An image path is untrusted: it is checked from what it is and from its header with a bounded read, refused in
milliseconds and one line (a device, a FIFO, /proc/self/mem, a huge or sparse file), never read whole first."""

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.engine import ImageError
from core.engine.elfimage import MAX_IMAGE_SIZE, load_image

from .elfkit import POWEROFF, make_elf

ROOT = Path(__file__).resolve().parent.parent
# load_image in a child with its address space capped and a deadline: a regression must fail, not eat the host
CHILD = """
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))
from core.engine.elfimage import ImageError, load_image
def rchar():
    return int(next(line for line in open("/proc/self/io") if line.startswith("rchar")).split()[1])
before, t0 = rchar(), time.perf_counter()
try:
    load_image(sys.argv[1])
    message = None
except ImageError as e:
    message = str(e)
print(json.dumps({"message": message, "ms": (time.perf_counter() - t0) * 1000, "read": rchar() - before}))
"""


def load_elsewhere(path) -> dict:
    try:
        r = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, timeout=30,
                           cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    except subprocess.TimeoutExpired:
        pytest.fail(f"load_image({path}) did not return within 30 s")
    assert r.returncode == 0, r.stderr[-2000:]
    return json.loads(r.stdout)


def refused_quickly(path, words: str) -> str:
    result = load_elsewhere(path)
    message = result["message"]
    assert message is not None and words in message and "\n" not in message, message
    assert result["ms"] < 50, f"{result['ms']:.1f} ms to refuse {path}"
    assert result["read"] < 64 * 1024, f"{result['read']} bytes read to refuse {path}"
    return message


def test_devices_are_refused_without_reading_them():
    refused_quickly("/dev/zero", "/dev/zero: is a character device, not a guest image")
    refused_quickly("/dev/urandom", "is a character device")


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "image.fifo"
    os.mkfifo(fifo)
    refused_quickly(fifo, "is a FIFO (named pipe), not a guest image")


def test_proc_self_mem_is_refused():
    refused_quickly("/proc/self/mem", "/proc/self/mem: empty (0 bytes), not a guest image")


def test_a_2gb_sparse_file_is_refused_from_its_size_in_milliseconds(tmp_path):
    path = tmp_path / "huge.elf"
    with open(path, "wb") as f:
        f.truncate(2 << 30)
    message = refused_quickly(path, "2,147,483,648 bytes is larger than a guest image may be (256 MiB)")
    assert message.startswith(f"{path}: ")


def test_a_large_file_that_is_no_elf_is_refused_from_its_header(tmp_path):
    path = tmp_path / "big.bin"
    with open(path, "wb") as f:
        f.truncate(MAX_IMAGE_SIZE - 4096)  # within the limit, all zeros: the first 64 bytes decide
    refused_quickly(path, "not an ELF image (bad magic)")


def test_odd_paths_are_refused_in_one_line(tmp_path):
    loop = tmp_path / "loop.elf"
    loop.symlink_to(loop)
    cases = [(loop, "a loop of symbolic links"), (tmp_path, "is a folder, not a guest image"),
             (tmp_path / "gone.elf", "no such guest image"), ("with\0nul.elf", "not a usable file name"),
             ("lone\udfffsurrogate.elf", "not a usable file name"), (42, "a guest image is a file path, not int"),
             (tmp_path / "empty.elf", "empty (0 bytes)")]
    (tmp_path / "empty.elf").write_bytes(b"")
    for path, words in cases:
        started = time.perf_counter()
        with pytest.raises(ImageError, match=re.escape(words)) as info:
            load_image(path)
        assert "\n" not in str(info.value) and time.perf_counter() - started < 0.05


def test_a_good_image_still_loads_whole(tmp_path):
    path = tmp_path / "ok.elf"
    data = make_elf(POWEROFF) + b"\0" * 3 * (1 << 20)  # larger than one read chunk
    path.write_bytes(data)
    image = load_image(path)
    assert image.data == data and image.entry == 0x100000
    assert load_elsewhere(path)["message"] is None
