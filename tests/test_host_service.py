"""The host service: its socket's defences, automatic actions, damaged configurations, View Script round trips."""

import os
import subprocess
import sys
import threading
import time

import pytest

from core import api
from core.hosts.paths import HostPaths
from core.local.host import HostService
from core.local.server import REQUEST_LIMIT, HostServer
from core.model.errors import ProtocolError, StateError, UsageError

from .conftest import ROOT, GuestConsole
from .helpers.sockets import raw


@pytest.fixture
def served(tmp_path):
    """A host service in this process, listening on a socket in a temporary folder."""
    paths = HostPaths(tmp_path / "data", tmp_path / "run")
    service = HostService(paths)
    server = HostServer(service, paths.socket)
    server.bind()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield paths, service, server
    server.stop()
    service.shutdown()


def test_socket_folder_is_private(served):
    paths, _, _ = served
    assert oct(paths.runtime.stat().st_mode & 0o777) == "0o700"
    assert oct(paths.socket.stat().st_mode & 0o777) == "0o600"


def test_malformed_and_oversized_requests_get_errors_and_the_service_keeps_serving(served):
    paths, _, _ = served
    assert raw(paths.socket, b"not json\n")["error"]["message"] == "request is not JSON"
    assert "object" in raw(paths.socket, b"[1, 2]\n")["error"]["message"]
    assert "protocol version 99" in raw(paths.socket, b'{"v": 99, "id": 1, "method": "vm.list"}\n')["error"]["message"]
    assert raw(paths.socket, b'{"v": 1, "id": 2, "method": "vm.explode"}\n')["error"] == {
        "kind": "usage", "message": "unknown method 'vm.explode'"}
    bad_params = raw(paths.socket, b'{"v": 1, "id": 3, "method": "vm.list", "params": {"evil": 1}}\n')
    assert bad_params["error"]["kind"] == "usage"
    huge = b'{"v": 1, "id": 4, "method": "vm.list", "params": {"x": "' + b"a" * (REQUEST_LIMIT + 10) + b'"}}\n'
    assert "larger than" in raw(paths.socket, huge)["error"]["message"]
    assert raw(paths.socket, b'{"v": 1, "id": 5, "method": "vm.list"}\n') == {"id": 5, "result": []}


def test_another_uid_is_refused(served):
    paths, service, _ = served
    other = HostServer(service, paths.runtime / "other.sock", allowed_uid=os.getuid() + 1)
    other.bind()
    threading.Thread(target=other.serve_forever, daemon=True).start()
    try:
        from core.api.transport import SocketTransport

        with pytest.raises(ProtocolError, match=f"permission denied: uid {os.getuid()} does not own"):
            SocketTransport(paths.runtime / "other.sock").call("vm.list")
    finally:
        other.stop()


@pytest.mark.skipif(os.getuid() != 0, reason="switching to another uid needs root")
def test_another_uid_cannot_even_reach_the_socket(served):
    paths, _, _ = served
    code = (f"import os, socket; os.setgid(65534); os.setuid(65534); s = socket.socket(socket.AF_UNIX)\n"
            f"try:\n    s.connect({str(paths.socket)!r}); print('connected')\n"
            f"except PermissionError: print('refused')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30).stdout
    assert out.strip() == "refused"


def test_events_reach_subscribers(served):
    paths, _, _ = served
    seen = []
    with _socket_conn(paths) as conn:
        unsubscribe = conn.subscribe(lambda kind, data: seen.append((kind, data.get("state"))))
        conn.new_vm("evented", memory="32M", start=True).wait(check=True)
        deadline = time.monotonic() + 5
        while not (("vm.state", "Running") in seen and any(k == "job.finished" for k, _ in seen)) \
                and time.monotonic() < deadline:
            time.sleep(0.02)
        unsubscribe()
    kinds = [k for k, _ in seen]
    assert "vm.added" in kinds and "job.finished" in kinds and ("vm.state", "Running") in seen


def _socket_conn(paths):
    from core.api import Connection
    from core.api.transport import SocketTransport

    return Connection(SocketTransport(paths.socket), "test")


def test_damaged_configuration_is_shown_not_deleted(tmp_path):
    home = str(tmp_path)
    with api.connect(home, embedded=True) as conn:
        conn.new_vm("fine").wait(check=True)
        conn.new_vm("hurt").wait(check=True)
        folder = conn.vm("hurt").folder
    config = os.path.join(folder, "vm.json")
    with open(config, "w") as f:
        f.write('{"format": 1, "name": ')
    damaged = open(config).read()
    with api.connect(home, embedded=True) as conn:
        vms = {v.state: v for v in conn.vms()}
        assert set(vms) == {"Off", "Configuration error"}
        broken = vms["Configuration error"]
        assert "not valid JSON" in broken.reason
        with pytest.raises(StateError, match="configuration error"):
            conn.start_vm(broken.id)
    assert open(config).read() == damaged


def test_automatic_stop_save_then_start_if_running(tmp_path):
    home = str(tmp_path)
    with api.connect(home, embedded=True) as conn:
        conn.new_vm("keeper", memory="32M", start=True).wait(check=True)
        conn.new_vm("bystander", memory="32M", automatic_start_action="nothing").wait(check=True)
        conn.console_send("keeper", "echo remember me\r")
        time.sleep(0.3)
    # the service stopped: "keeper" was saved (the default stop action) and remembered as running
    with api.connect(home, embedded=True) as conn:
        assert conn.vm("keeper").state == "Saved"
        conn._transport.service.run_start_actions()
        deadline = time.monotonic() + 10
        while conn.vm("keeper").state != "Running":
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert "remember me" in conn.console_history("keeper")  # the same guest, continued
        assert conn.vm("bystander").state == "Off"


def test_api_refuses_bad_input_before_anything_is_written(tmp_path):
    with api.connect(str(tmp_path), embedded=True) as conn:
        for kwargs, message in [({"name": " "}, "cannot be empty"), ({"name": "a/b"}, "cannot contain"),
                                ({"name": "m", "memory": "1T"}, "more than this host has|between"),
                                ({"name": "v", "vcpus": 0}, "virtual processors"),
                                ({"name": "s", "automatic_stop_action": "explode"}, "stop")]:
            with pytest.raises(UsageError, match=message):
                conn.new_vm(**kwargs)
        assert conn.vms() == []
        assert conn.jobs() == []


def test_view_script_round_trip_creates_the_same_vm(tmp_path):
    params = dict(name="scripted", memory="96M", vcpus=2, workload="cpu:15", notes="made by a script",
                  automatic_stop_action="turn_off")
    with api.connect(str(tmp_path / "a"), embedded=True) as conn:
        conn.new_vm(**params).wait(check=True)
        original = conn.vm("scripted").to_dict()
        script = conn.script("vm.new", **params)
    assert script.command_line == ("bulkhead vm new scripted --memory 96M --vcpus 2 --workload cpu:15 "
                                   "--notes 'made by a script' --stop-action turn_off")
    keys = ("name", "memory", "vcpus", "workload", "notes", "automatic_start_action", "automatic_stop_action",
            "image", "cmdline")

    # the Python script, run by `bulkhead script run` against a fresh host
    path = tmp_path / "new_vm.py"
    path.write_text(script.python)
    env = dict(os.environ, BULKHEAD_HOME=str(tmp_path / "b"), PYTHONPATH=str(ROOT))
    run = subprocess.run([sys.executable, "-m", "core.cli", "script", "run", str(path)], env=env, cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    # and the command line, against another fresh host
    env_c = dict(env, BULKHEAD_HOME=str(tmp_path / "c"))
    import shlex

    words = shlex.split(script.command_line)
    cmd = subprocess.run([sys.executable, "-m", "core.cli", *words[1:]], env=env_c, cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert cmd.returncode == 0, cmd.stderr
    for home in ("b", "c"):
        with api.connect(str(tmp_path / home), autostart=False) as conn:
            made = conn.vm("scripted").to_dict()
            conn.call("host.stop")
        assert {k: made[k] for k in keys} == {k: original[k] for k in keys}


def test_rendered_scripts_for_every_operation():
    from core.api.script import render

    assert render("vm.stop", {"vm": "w", "mode": "turn_off"}).command_line == "bulkhead vm stop w --turn-off"
    assert "conn.stop_vm('w', mode='save')" in render("vm.stop", {"vm": "w", "mode": "save"}).python
    assert render("vm.set", {"vm": "w", "memory": 1 << 30}).command_line == "bulkhead vm set w --memory 1G"
    for method in ("vm.start", "vm.pause", "vm.resume", "vm.restart", "vm.remove"):
        s = render(method, {"vm": "my vm"})
        assert s.command_line == f"bulkhead {method.replace('.', ' ')} 'my vm'"
        compile(s.python, "<script>", "exec")


def test_guest_console_history_through_the_api(tmp_path):
    with api.connect(str(tmp_path), embedded=True) as conn:
        conn.new_vm("hist", memory="32M", start=True).wait(check=True)
        deadline = time.monotonic() + 10
        while "bulkhead$" not in conn.console_history("hist"):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        partition = conn._transport.service.vms[conn.vm("hist").id].partition
        console = GuestConsole(partition)
        assert console.command("echo via api") == "via api"


def test_sigkill_of_the_service_while_it_writes_configurations_loses_nothing(tmp_path):
    """Kill the real host service at random points while clients change a VM's settings: every restart finds one
    of the configurations a client asked for, never a broken one, and no temporary file shows up as a VM."""
    import random
    import signal

    home = str(tmp_path)
    with api.connect(home) as conn:
        conn.new_vm("target", memory="32M").wait(check=True)
    rng = random.Random(7)
    written = {""}
    for round_ in range(6):
        conn = api.connect(home)
        pid = conn.host_info()["pid"]
        stop = threading.Event()

        def writer(c=conn, r=round_, stop=stop):
            i = 0
            while not stop.is_set():
                notes = f"round {r} write {i}"
                written.add(notes)
                try:
                    c.set_vm("target", notes=notes)
                except Exception:
                    return
                i += 1

        t = threading.Thread(target=writer)
        t.start()
        time.sleep(rng.uniform(0.05, 0.3))
        os.kill(pid, signal.SIGKILL)
        stop.set()
        t.join(10)
        conn.close()
        deadline = time.monotonic() + 10
        while True:  # wait until the process is gone (it may be our child: reaped by the reaper thread)
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            assert time.monotonic() < deadline
            time.sleep(0.02)
        with api.connect(home) as check:  # starts a new service on the same store
            vms = check.vms()
            assert [v.name for v in vms] == ["target"], [(v.name, v.state, v.reason) for v in vms]
            assert vms[0].state == "Off" and vms[0].notes in written
    with api.connect(home, autostart=False) as conn:
        conn.call("host.stop")
