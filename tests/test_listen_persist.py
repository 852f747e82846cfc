"""``bulkhead host serve --listen ADDR`` is kept across restarts: the address is saved in the host's config
(service.json in BULKHEAD_HOME, written atomically, 0600) once it is bound, and a service started later on first use
(by a client of the local socket: the console, the CLI, ``host proxy``) serves TLS there again; ``--listen off`` and
``--no-listen`` forget it. A saved address that cannot be served then is logged, and the local service starts
anyway."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
import time

import pytest

from core import api
from core.hosts.paths import HostPaths
from core.local import listen_address
from core.model.files import is_temp_name

from .remotehosts import PYTHON, REPO, TlsHost, stop_process, stop_service, wait_socket

DEADLINE = 30.0


def listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1.0).close()
        return True
    except OSError:
        return False


def saved(home) -> dict:
    path = home / listen_address.CONFIG_NAME
    return json.loads(path.read_text()) if path.exists() else {}


def cli(home, *args, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "core.cli", "--home", str(home), *args], capture_output=True,
                          text=True, timeout=DEADLINE, cwd=REPO, env=dict(os.environ, BULKHEAD_HOME=str(home)), **kw)


def serve_in_background(home, *args) -> subprocess.Popen:
    log = open(home / "serve.log", "ab")  # noqa: SIM115 - the child holds it
    proc = subprocess.Popen([PYTHON, "-m", "core.cli", "--home", str(home), "host", "serve", *args],
                            stdin=subprocess.DEVNULL, stdout=log, stderr=log, cwd=REPO, start_new_session=True,
                            env=dict(os.environ, BULKHEAD_HOME=str(home)))
    log.close()
    return proc


@pytest.fixture
def far(tmp_path):
    host = TlsHost(tmp_path)
    yield host
    host.stop()
    stop_service(host.home)


def test_the_listen_address_is_saved_and_served_again_when_started_on_first_use(far):
    far.start()  # bulkhead host serve --listen 127.0.0.1:PORT
    assert saved(far.home) == {"listen": f"127.0.0.1:{far.port}"}
    config = far.home / listen_address.CONFIG_NAME
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert not [n for n in os.listdir(far.home) if is_temp_name(n)]  # written atomically, nothing left over
    far.stop()
    assert not listening(far.port)
    with api.connect(str(far.home)) as local:  # first use starts `bulkhead host serve` without arguments
        pid = local.host_info()["pid"]
        assert listening(far.port), "the service started on first use does not listen on the saved address"
        with api.connect(uri=far.uri) as remote:
            assert remote.host_info()["pid"] == pid  # the same service, over TLS
    stop_service(far.home)


@pytest.mark.parametrize("off", [["--listen", "off"], ["--no-listen"], ["--listen", " OFF "]])
def test_listen_off_forgets_the_address(far, off):
    far.start()
    far.stop()
    assert saved(far.home)["listen"]
    proc = serve_in_background(far.home, *off)
    try:
        wait_socket(far.home, proc, time.monotonic() + DEADLINE, far.home / "serve.log")
        assert "listen" not in saved(far.home)
        assert not listening(far.port)
    finally:
        stop_process(proc)  # our child: stopped and reaped here
    with api.connect(str(far.home)):  # and the next start on first use serves no TLS either
        assert not listening(far.port)
    stop_service(far.home)


def test_forgetting_while_a_service_runs_says_it_still_serves_until_stopped(far):
    far.start()
    out = cli(far.home, "host", "serve", "--no-listen")
    assert out.returncode == 2, out.stderr
    assert "forgotten" in out.stderr and "bulkhead host stop" in out.stderr and len(out.stderr.splitlines()) == 1
    assert "listen" not in saved(far.home)
    assert listening(far.port)  # the running service is left as it was


def test_a_bad_address_is_refused_and_not_saved(far):
    far.make_certs()
    out = cli(far.home, "host", "serve", "--listen", "127.0.0.1:99999")
    assert out.returncode == 2 and "Traceback" not in out.stderr, out.stderr
    assert saved(far.home) == {}
    out = cli(far.home, "host", "serve", "--listen", "127.0.0.1:1", "--no-listen")
    assert out.returncode == 2 and "not allowed with" in out.stderr, out.stderr


def test_a_saved_address_that_cannot_be_served_is_logged_and_the_service_starts(far):
    far.make_certs()
    taken = socket.create_server(("127.0.0.1", 0))
    port = taken.getsockname()[1]
    try:
        listen_address.save_listen(HostPaths.resolve(far.home), f"127.0.0.1:{port}")
        with api.connect(str(far.home)) as local:
            assert local.vms() == []
        log = (far.home / "host.log").read_text()
        assert f"not serving TLS on 127.0.0.1:{port}" in log and "--listen off" in log
        assert saved(far.home)["listen"] == f"127.0.0.1:{port}"  # kept: it may be free at the next start
    finally:
        taken.close()


def test_a_damaged_config_is_ignored_and_other_settings_are_kept(tmp_path, caplog):
    paths = HostPaths.resolve(tmp_path / "home")
    config = listen_address.config_path(paths)
    assert config == paths.data / "service.json"
    config.parent.mkdir(parents=True)
    for damaged in ("{not json", "[1, 2]", json.dumps({"listen": 7}), json.dumps({"listen": ""})):
        config.write_text(damaged)
        assert listen_address.saved_listen(paths) is None
    assert "ignoring" in caplog.text
    config.write_text(json.dumps({"other": 1}))
    listen_address.save_listen(paths, "0.0.0.0:17000")
    assert json.loads(config.read_text()) == {"listen": "0.0.0.0:17000", "other": 1}
    assert listen_address.saved_listen(paths) == "0.0.0.0:17000"
    listen_address.save_listen(paths, None)
    assert json.loads(config.read_text()) == {"other": 1}


def test_without_a_home_the_config_is_the_users_config_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("BULKHEAD_HOME", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "run"))
    paths = HostPaths.resolve()
    assert listen_address.config_path(paths) == tmp_path / "cfg" / "bulkhead" / "service.json"  # beside its pki
