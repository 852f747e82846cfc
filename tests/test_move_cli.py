"""`bulkhead host rate` as a person runs it (a VM on the local host service, a Bulkhead host over TLS, a libvirt
test host and a host that does not answer), and the ``--precheck`` / ``--predict`` output `vm move` prints
(core/cli/placement.py), with the options it parses."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from core.cli import placement
from core.model.errors import UsageError

from .helpers.embedded import embedded_pair

MiB = 1 << 20
WAIT = 30.0


@pytest.fixture
def two(tmp_path):
    with embedded_pair(tmp_path) as (a, b):
        a.new_switch("lab").wait(WAIT, check=True)
        a.new_vm("web1", memory="32M", network="lab", start=True).wait(WAIT, check=True)
        yield a, b


def move_args(**more):
    return SimpleNamespace(**({"vm": "web1", "type": None, "path": None, "network_map": None, "bandwidth": None,
                               "downtime_limit": None, "json": False} | more))


def test_print_precheck_lists_errors_first_with_what_to_do(two, capsys):
    a, b = two
    assert placement.print_precheck(move_args(), a, b) == 1
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("Precheck: VM 'web1' to embedded host (") and lines[0].endswith(
        "(live move: the VM is Running: it keeps running while its memory moves)")
    assert lines[1] == "  ERROR    the destination has no virtual switch 'lab' (it has: none)"
    assert lines[2] == "           -> map adapter 'lab' to a switch on the destination (--network-map lab=SWITCH)"
    assert "  info     bandwidth not measured; assumed 100 MiB/s" in lines
    assert lines[-1] == "1 error blocks the move."
    b.new_switch("lan").wait(WAIT, check=True)
    assert placement.print_precheck(move_args(network_map=["lab=lan"], bandwidth="200M"), a, b) == 0
    out = capsys.readouterr().out
    assert "  info     adapter on 'lab' is mapped to switch 'lan' on the destination" in out
    assert out.splitlines()[-1] == "The move can go ahead."
    assert "assumed" not in out
    assert placement.print_precheck(move_args(json=True, network_map={"lab": "lan"}), a, b) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["ok"] and result["type"] == "live" and isinstance(result["rows"], list)


def test_print_prediction(two, capsys):
    a, b = two
    assert placement.print_prediction(move_args(bandwidth="100M", downtime_limit="50ms"), a, b) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("Prediction: VM 'web1' to embedded host (")
    keys = [line.split("  ")[1].strip() for line in lines[1:] if line.startswith("  ") and "  " in line[2:]]
    assert keys[:5] == ["Transfer", "Total time", "Data to send", "Rounds", "Downtime"]
    assert "  Transfer         live" in lines and "  Converges        yes" in lines
    assert any(line.startswith("  Downtime ") and line.endswith("(the last pages: limit 50 ms; then 3 ms to resume)")
               for line in lines)
    assert "  Bandwidth        100 MiB/s (given)" in lines
    assert placement.print_prediction(move_args(json=True), a, b) == 0
    p = json.loads(capsys.readouterr().out)
    assert p["bandwidth_source"] == "assumed" and p["notes"][0] == "bandwidth not measured; assumed 100 MiB/s"
    assert p["downtime_limit"] == 0.05 and p["per_round"]


def test_the_options_the_move_verbs_share():
    assert placement.parse_weights("cpu=2, memory=1,network=0") == {"cpu": 2.0, "memory": 1.0, "network": 0.0}
    assert placement.parse_weights(None) is None
    for bad, says in (("gpu=1", "is not RESOURCE=NUMBER"), ("cpu", "is not RESOURCE=NUMBER"),
                      ("cpu=nan", "from 0 to 100"), ("cpu=101", "from 0 to 100"), ("cpu=x", "from 0 to 100")):
        with pytest.raises(UsageError, match=says):
            placement.parse_weights(bad)
    assert placement.parse_network_map(["lab=lan", "dmz=lan,a=b"]) == {"lab": "lan", "dmz": "lan", "a": "b"}
    with pytest.raises(UsageError, match="is not SOURCE=DESTINATION"):
        placement.parse_network_map(["lab"])
    assert placement._bandwidth("100M") == 100 * MiB and placement._bandwidth(None) is None
    with pytest.raises(UsageError, match="--bandwidth"):
        placement._bandwidth("fast")
    assert placement._downtime("50ms") == pytest.approx(0.05) and placement._downtime("1s") == 1.0
    assert placement._downtime(None) == 0.05
    with pytest.raises(UsageError, match="--downtime-limit"):
        placement._downtime("soon")


def test_host_rate_from_the_command_line(cli, tmp_path):
    pytest.importorskip("cryptography", reason="the TLS test host needs the cryptography library")
    from .remotehosts import TlsHost

    far = TlsHost(tmp_path / "far").start()
    try:
        cli("switch", "new", "lab", check=True)
        cli("vm", "new", "web1", "--memory", "32M", "--switch", "lab", "--start", check=True)
        cli("host", "add", far.uri, "--name", "rack2", check=True)
        r = cli("host", "rate", "web1", "--explain", check=True)
        print(r.stdout)
        lines = r.stdout.splitlines()
        assert lines[0].split() == ["HOST", "STARS", "TRANSFER", "FREE", "MEMORY", "CPU", "BACKEND"]
        assert lines[1].startswith("rack2 ") and " live " in lines[1]
        assert any(line.startswith("rack2: ") for line in lines)
        rated = json.loads(cli("host", "rate", "web1", "--to", far.uri, "--to", "bulkhead+tls://127.0.0.1:1",
                               "--goal", "maximize", "--weights", "cpu=2,memory=1", "--json", check=True).stdout)
        assert [r["stars"] > 0 for r in rated] == [True, False]
        assert rated[1]["explanation"][0].startswith("cannot reach bulkhead+tls://127.0.0.1:1: ")
        assert "for resource maximization" in rated[0]["explanation"][0]
        bad = cli("host", "rate", "web1", "--weights", "gpu=1")
        assert bad.returncode == 2 and "--weights: 'gpu=1' is not RESOURCE=NUMBER" in bad.stderr
        bad = cli("host", "rate", "web1", "--to", "bulkhead+tls://127.0.0.1:1", "--goal", "fast")
        assert bad.returncode == 2
    finally:
        far.stop()


def test_host_rate_with_no_candidate_says_what_to_do(cli):
    r = cli("host", "rate", "web1")
    assert r.returncode == 2
    assert "no other host to rate: give --to URI, or save connections (bulkhead host add URI)" in r.stderr
