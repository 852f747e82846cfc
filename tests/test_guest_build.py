"""The committed guest image is what its sources build."""

import shutil
import subprocess
from pathlib import Path

import pytest

from resources import GUEST_IMAGE

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc is not installed, so the guest cannot be rebuilt")
def test_rebuilt_guest_matches_the_committed_image(tmp_path):
    out = tmp_path / "guest.elf"
    r = subprocess.run([str(ROOT / "guest" / "build.sh"), str(out)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert out.read_bytes() == GUEST_IMAGE.read_bytes(), \
        "resources/guest/bulkhead-guest.elf is stale: run guest/build.sh"


@pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc is not installed")
def test_native_twin_of_the_guest_compute_loop_builds_and_agrees(tmp_path):
    exe = tmp_path / "native_bench"
    subprocess.run(["gcc", "-O2", "-o", str(exe), str(ROOT / "guest" / "native_bench.c")], check=True)
    out = subprocess.run([str(exe), "1000"], capture_output=True, text=True, check=True).stdout.split()
    assert out[0] == "iterations" and out[1] == "1000" and out[4] == "checksum"
