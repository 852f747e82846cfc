"""The boundaries docs/architecture.md promises: import-linter contracts (pyproject.toml, [tool.importlinter]) and
the size of modules."""

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINES_MAX = 600


def _lint_imports() -> list[str]:
    script = Path(sys.executable).with_name("lint-imports")
    if script.exists():
        return [str(script)]
    found = shutil.which("lint-imports")
    if found:
        return [found]
    pytest.skip("import-linter is not installed (pip install -e '.[test]')")


def _contracts() -> dict[str, dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    return {c["id"]: c for c in config["contracts"]}


def test_import_contracts_are_kept():
    r = subprocess.run([*_lint_imports(), "--no-logo", "--no-cache"], cwd=ROOT, capture_output=True, text=True,
                       timeout=120, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert r.returncode == 0, f"import-linter contracts broken:\n{r.stdout}\n{r.stderr}"


def _core_packages() -> set[str]:
    return {f"core.{p.name}" for p in (ROOT / "core").iterdir() if (p / "__init__.py").exists()}


@pytest.mark.parametrize("contract, allowed", [
    ("gui-through-api", {"core.api", "core.model"}),
    ("model-alone", {"core.model"}),
    ("engine-below", {"core.engine", "core.model"}),
])
def test_contracts_name_every_core_package(contract, allowed):
    """A new package under core/ (a new kind of host, core.convert ...) must be placed in the layers: the contracts
    that list what a layer may not import name every package but the ones it may."""
    forbidden = set(_contracts()[contract]["forbidden_modules"])
    assert forbidden | allowed == _core_packages(), \
        f"{contract}: say whether these may be imported: {sorted(_core_packages() - forbidden - allowed)}"
    assert not forbidden & allowed


def test_every_kind_of_host_is_kept_apart():
    """Each package of a kind of host (core.local, core.libvirt, later core.remote) has a contract keeping it from
    the other kinds."""
    kinds = {"core.local", "core.libvirt", "core.remote"} & _core_packages()
    contracts = _contracts().values()
    for kind in kinds:
        forbidden = set().union(*(c["forbidden_modules"] for c in contracts if c["source_modules"] == [kind]))
        assert kinds - {kind} <= forbidden, f"{kind} may import {sorted(kinds - {kind} - forbidden)}"


def test_no_module_in_core_or_gui_is_over_600_lines():
    long = []
    for top in ("core", "gui"):
        for path in (ROOT / top).rglob("*.py"):
            lines = len(path.read_text().splitlines())
            if lines > LINES_MAX:
                long.append(f"{path.relative_to(ROOT)}: {lines} lines")
    assert not long, f"over {LINES_MAX} lines: {long}"
