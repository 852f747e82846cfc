import os
import time
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_NO_GLIB", "1")  # as gui/__init__.py: Qt must not iterate libvirt's GLib main context

from core.engine import Hypervisor, PartitionConfig, VmState  # noqa: E402
from core.engine.capability import probe  # noqa: E402
from resources import GUEST_IMAGE  # noqa: E402

from .guestconsole import GuestConsole  # noqa: E402

_CAPS = probe()
KVM_USABLE = _CAPS.kvm_usable
KVM_SKIP_REASON = f"KVM is not usable here: {_CAPS.kvm_problem}"
requires_kvm = pytest.mark.skipif(not KVM_USABLE, reason=KVM_SKIP_REASON)
BACKENDS = [pytest.param("kvm", marks=requires_kvm), "emulation"]
MiB = 1 << 20


@pytest.fixture(autouse=True)
def _console_locale():
    """A test that installs a translation (gui.i18n.install) also makes its language the default QLocale (numbers
    with a decimal comma in German): put the default back after every test, so no later test inherits it."""
    import sys

    qtcore = sys.modules.get("PySide6.QtCore")  # only where Qt is loaded already: core tests stay Qt-free
    before = qtcore.QLocale() if qtcore is not None else None
    yield
    qtcore = sys.modules.get("PySide6.QtCore")
    if qtcore is not None:
        qtcore.QLocale.setDefault(before if before is not None else qtcore.QLocale.system())


@pytest.fixture(scope="session")
def guest_image() -> Path:
    assert GUEST_IMAGE.exists(), f"the bundled guest image is missing: {GUEST_IMAGE} (run guest/build.sh)"
    return GUEST_IMAGE


@pytest.fixture(params=BACKENDS)
def hypervisor(request):
    hv = Hypervisor(request.param)
    yield hv
    hv.shutdown()


@pytest.fixture
def boot(hypervisor, guest_image):
    """boot(name, memory=64 MiB, vcpus=1, cmdline='', image=None, **devices) -> (partition, console), started and
    at its prompt (devices: PartitionConfig's disk, disk_controller, switch, mac, ...)."""
    consoles = []

    def _boot(name="vm", memory=64 * MiB, vcpus=1, cmdline="", image=None, **devices):
        config = PartitionConfig(name, memory, str(image or guest_image), vcpus, cmdline, **devices)
        p = hypervisor.create_partition(config)
        c = GuestConsole(p)
        consoles.append(c)
        p.start()
        c.expect(r"bulkhead\$ ", timeout=30)
        return p, c

    yield _boot
    for c in consoles:
        c.close()


def wait_for_state(partition, state: VmState, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while partition.state is not state:
        if time.monotonic() > deadline:
            raise AssertionError(f"VM {partition.name} is {partition.state.value}, expected {state.value} "
                                 f"(reason: {partition.reason})")
        time.sleep(0.01)


ROOT = Path(__file__).resolve().parent.parent


class Cli:
    """Runs `bulkhead` as a person would, against a host service whose store lives in a temporary folder."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.env = dict(os.environ, BULKHEAD_HOME=str(home), PYTHONPATH=str(ROOT))

    def __call__(self, *args, input=None, timeout=120, check=False):
        import subprocess
        import sys

        r = subprocess.run([sys.executable, "-m", "core.cli", *args], input=input, capture_output=True, text=True,
                           timeout=timeout, env=self.env, cwd=ROOT)
        if check:
            assert r.returncode == 0, f"bulkhead {' '.join(args)} -> {r.returncode}\n{r.stdout}\n{r.stderr}"
        return r

    def json(self, *args):
        import json

        return json.loads(self(*args, "--json", check=True).stdout)


@pytest.fixture
def cli(tmp_path):
    c = Cli(tmp_path / "home")
    yield c
    c("host", "stop", timeout=180)


def pytest_sessionfinish(session, exitstatus):
    """Stop host services that tests started and a failing test left running (their BULKHEAD_HOME is under this
    run's temporary folder), so no VM of theirs goes on using the machine after the run."""
    import psutil

    try:
        base = str(session.config._tmp_path_factory.getbasetemp())
    except (AttributeError, OSError, ValueError):
        return
    for proc in psutil.process_iter(["cmdline"]):
        try:
            cmdline = proc.info["cmdline"] or []
            if "host" not in cmdline or "serve" not in cmdline:
                continue
            if proc.environ().get("BULKHEAD_HOME", "").startswith(base):
                proc.kill()
        except (psutil.Error, OSError):
            continue
