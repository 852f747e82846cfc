"""The `bulkhead` command as a person runs it from a shell."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def bulkhead(*args, input=None, timeout=60):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "core.cli", *args], input=input, capture_output=True,
                          text=True, timeout=timeout, env=env, cwd=ROOT)


def test_host_info_json():
    r = bulkhead("host", "info", "--json")
    assert r.returncode == 0, r.stderr
    info = json.loads(r.stdout)
    assert info["backend"] in ("kvm", "emulation") and info["logical_processors"] >= 1


def test_host_info_table_says_which_backend():
    r = bulkhead("host", "info")
    assert r.returncode == 0 and "Backend" in r.stdout and "Logical processors" in r.stdout


@pytest.mark.parametrize("backend", ["auto", "emulation"])
def test_run_boots_the_bundled_guest_and_shows_its_console(backend):
    r = bulkhead("run", "--backend", backend, "--name", "clitest", input="info\npoweroff\n")
    assert r.returncode == 0, r.stderr
    assert "Bulkhead guest kernel" in r.stdout and "hostname clitest" in r.stdout
    assert "is Off" in r.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (("run", "--memory", "lots"), "--memory: 'lots' is not a size"),
        (("run", "--memory", "3M"), "multiple of 2 MiB"),
        (("run", "--vcpus", "0"), "virtual processors must be between 1"),
        (("run", "--image", "/nonexistent.elf"), "no such guest image"),
        (("frobnicate",), "invalid choice"),
    ],
)
def test_usage_errors_exit_2_with_one_line(args, message):
    r = bulkhead(*args)
    assert r.returncode == 2
    assert message in r.stderr
    assert "Traceback" not in r.stderr


def test_a_crashing_guest_exits_1_with_the_reason():
    r = bulkhead("run", input="panic testing exit codes\n")
    assert r.returncode == 1
    assert "Critical: guest crashed: testing exit codes" in r.stderr
