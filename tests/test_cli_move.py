"""`bulkhead vm move` as a person runs it: between two host services over TLS, to and from this machine's host
service over its socket, with its progress and its figures; the exit codes (2 for what the user must fix, 1 for a
move that did not happen); Ctrl+C cancels the move and the VM stays where it was."""

from __future__ import annotations

import json
import shlex
import signal
import subprocess
import sys
import time

from .conftest import ROOT
from .helpers.moves import MiB, raw_disk, tls_pair_fixture
from .helpers.waiting import wait

tls_pair = tls_pair_fixture()


def _states(cli, uri=None) -> dict:
    return {v["name"]: v["state"] for v in cli.json(*(["--connect", uri] if uri else []), "vm", "list")}


def test_a_vm_moves_between_two_hosts_and_back_through_this_machine(cli, tls_pair):
    a, b = (h.uri for h in tls_pair)
    cli("--connect", a, "vm", "new", "web1", "--memory", "32M", "--start", check=True)
    r = cli("--connect", a, "vm", "move", "web1", "--to", b, "--type", "quick", check=True)
    lines = r.stdout.splitlines()
    assert lines[0].startswith("Moving VM 'web1' to Bulkhead host bulkhead+tls://127.0.0.1:")
    assert any(line.startswith("  files: ") and "MiB/s" in line for line in lines)
    assert lines[-1].startswith("Migrate VM: VM 'web1' moved to Bulkhead host ") and "(quick: downtime " in lines[-1]
    assert _states(cli, b) == {"web1": "Running"} and _states(cli, a) == {}
    r = cli("--connect", b, "vm", "move", "web1", "--to", "local", "--json", check=True)  # tunnelled, live
    job = json.loads(r.stdout)
    assert job["state"] == "Completed" and job["result"]["type"] == "live" and job["result"]["stream"] == "tunnelled"
    assert job["result"]["downtime_s"] < 2 and _states(cli) == {"web1": "Running"}
    r = cli("vm", "move", "web1", "--to", a, "--json", check=True)  # from this machine's service, direct
    assert json.loads(r.stdout)["result"]["stream"] == "direct" and _states(cli, a) == {"web1": "Running"}
    assert _states(cli) == {}
    cli("--connect", a, "vm", "stop", "web1", "--turn-off", check=True)
    cli("--connect", a, "vm", "remove", "web1", check=True)


def test_what_the_user_must_fix_is_exit_code_2(cli, tls_pair, tmp_path):
    a, b = (h.uri for h in tls_pair)
    cli("vm", "new", "here1", "--memory", "32M", check=True)
    for args, said in (
        (["--bandwidth", "fast"], "--bandwidth: "),
        (["--downtime-limit", "soon"], "--downtime-limit: 'soon' is not a duration"),
        (["--network-map", "lan"], "--network-map: 'lan' is not A=B"),
        (["--type", "warp"], "invalid choice: 'warp'"),
        (["--type", "live"], "VM 'here1' is Off: it moves by copying its files (--type network)"),
        (["--path", "/nonexistent/folder"], "--path /nonexistent/folder: no such folder on this host"),
        (["--resolve"], "VM 'here1' has no unconfirmed move"),
    ):
        r = cli("vm", "move", "here1", "--to", b, *args)
        assert r.returncode == 2 and said in r.stderr, (args, r.stderr)
    r = cli("vm", "move", "nosuch", "--to", b)
    assert r.returncode == 2 and "no VM named 'nosuch'" in r.stderr
    r = cli("vm", "move", "here1", "--to", "test:///default")
    assert r.returncode == 2 and "moves to another Bulkhead host" in r.stderr
    r = cli("vm", "move", "here1")
    assert r.returncode == 2 and "--to" in r.stderr
    assert _states(cli) == {"here1": "Off"} and "here1" not in _states(cli, b)


def test_ctrl_c_cancels_the_move_and_the_vm_stays(cli, tls_pair, tmp_path):
    a, b = (h.uri for h in tls_pair)
    disk = tmp_path / "big.img"
    raw_disk(disk, 64 * MiB)
    there = tls_pair[1].home / "cancelled"
    there.mkdir()
    cli("vm", "new", "slow1", "--memory", "32M", "--disk", str(disk), "--start", check=True)
    proc = subprocess.Popen([sys.executable, "-m", "core.cli", "vm", "move", "slow1", "--to", b, "--path",
                             str(there), "--bandwidth", "8M", "--type", "quick"], cwd=ROOT, env=cli.env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait(lambda: any(j["name"] == "Migrate VM" and j["progress"] >= 10 for j in cli.json("job", "list")), 30,
             "the move to be under way")
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 1 and "cancelling the move" in err and "cancelled; VM 'slow1' stays" in out, (out, err)
    wait(lambda: _states(cli) == {"slow1": "Running"}, 20, "slow1 running here again")
    assert disk.exists() and "slow1" not in _states(cli, b)
    time.sleep(0.2)
    assert [n for n in there.iterdir()] == []


def test_view_script_of_a_move_runs_as_the_move(cli, tls_pair, tmp_path):
    from core import api

    a, b = (h.uri for h in tls_pair)
    cli("--connect", a, "vm", "new", "scripted", "--memory", "32M", "--start", check=True)
    with api.connect(uri=a) as conn:
        there = conn.script("vm.move", vm="scripted", to=b, type="quick", downtime_limit=0.02)
    with api.connect(uri=b) as conn:
        back = conn.script("vm.move", vm="scripted", to=a, bandwidth=100 * MiB)
    assert shlex.split(there.command_line) == ["bulkhead", "--connect", a, "vm", "move", "scripted", "--to", b,
                                               "--type", "quick", "--downtime-limit", "20ms"]
    assert shlex.split(back.command_line)[-4:] == ["--to", a, "--bandwidth", "100M"]
    r = cli(*shlex.split(there.command_line)[1:], check=True)
    assert "moved to" in r.stdout and _states(cli, b).get("scripted") == "Running"
    assert "scripted" not in _states(cli, a)
    script = tmp_path / "back.py"
    script.write_text(back.python)
    cli("script", "run", str(script), check=True)
    assert _states(cli, a).get("scripted") == "Running" and "scripted" not in _states(cli, b)
