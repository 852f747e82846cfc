"""benchmarks/convert.py stands on its own: it imports nothing of tests/ (its sample VMware VM and images are its
own), and a small run from another folder prints its figures as JSON."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys

import pytest

from ..conftest import ROOT

BENCH = ROOT / "benchmarks" / "convert.py"


def test_the_benchmark_imports_nothing_of_the_tests():
    tree = ast.parse(BENCH.read_text())
    names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert names and not [n for n in names if n == "tests" or n.startswith("tests.")], names


@pytest.mark.skipif(shutil.which("qemu-img") is None, reason="qemu-img is not installed")
def test_a_small_run_from_another_folder_prints_its_figures(tmp_path):
    r = subprocess.run([sys.executable, str(BENCH), "--runs", "1", "--size", "32M", "--data", "4M"],
                       capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    figures = json.loads(r.stdout)
    assert figures["source"]["format"] == "vmdk monolithicSparse" and figures["target"]["size"] == 32 << 20
    assert figures["job_s"] > 0 and figures["qemu_img_s"] > 0 and figures["job_vs_qemu_img"] > 0
