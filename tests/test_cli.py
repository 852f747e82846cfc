"""The `bulkhead` command as a person runs it from a shell."""

import json
import re
import time

import pytest

from .conftest import Cli


def test_host_info_json(cli):
    info = cli.json("host", "info")
    assert info["backend"] in ("kvm", "emulation") and info["capabilities"]["logical_processors"] >= 1
    assert info["store"] == str(cli.home)


def test_host_info_table_says_which_backend(cli):
    r = cli("host", "info", check=True)
    assert "Backend" in r.stdout and "Logical processors" in r.stdout and "Host service" in r.stdout


def test_a_vm_started_by_one_command_runs_on_after_it_exits(cli):
    r = cli("vm", "new", "web1", "--memory", "96M", "--workload", "cpu:10", "--start", check=True)
    assert "VM 'web1' is Running" in r.stdout
    vms = cli.json("vm", "list")  # a second command, a second process
    assert [(v["name"], v["state"], v["memory"]) for v in vms] == [("web1", "Running", 96 << 20)]
    time.sleep(0.5)
    again = cli.json("vm", "show", "web1")
    assert again["uptime"] > 0 and sum(again["counters"]["vcpu_cpu_ns"]) > 0
    assert "Running" in cli("vm", "list", check=True).stdout


def test_lifecycle_through_the_command_line(cli):
    cli("vm", "new", "life", "--start", check=True)
    assert "is Paused" in cli("vm", "pause", "life", check=True).stdout
    assert "is Running" in cli("vm", "resume", "life", check=True).stdout
    assert "is Saved" in cli("vm", "stop", "life", "--save", check=True).stdout
    assert "is Running" in cli("vm", "start", "life", check=True).stdout
    assert "is Running" in cli("vm", "restart", "life", check=True).stdout
    assert "is Off" in cli("vm", "stop", "life", check=True).stdout  # a clean shutdown by the guest
    cli("vm", "start", "life", check=True)
    assert "is Off" in cli("vm", "stop", "life", "--turn-off", check=True).stdout
    jobs = cli.json("job", "list", "--vm", "life")
    assert [j["name"] for j in jobs][:3] == ["Turn off VM", "Start VM", "Shut down VM"]
    assert all(j["state"] == "Completed" for j in jobs)
    cli("vm", "remove", "life", check=True)
    assert cli.json("vm", "list") == []


def test_vm_connect_reaches_the_guest_shell(cli):
    cli("vm", "new", "term", "--start", check=True)
    r = cli("vm", "connect", "term", input="echo through the service\n", check=True)
    assert re.search(r"echo through the service\r?\nthrough the service", r.stdout)
    assert "Ctrl+]" in r.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (("vm", "new", ""), "a VM name cannot be empty"),
        (("vm", "new", "x" * 65), "at most 64 characters"),
        (("vm", "new", "../etc"), "cannot contain '/'"),
        (("vm", "new", "big", "--memory", "100T"), "more than this host has|between 4 MiB and 64 GiB"),
        (("vm", "new", "many", "--vcpus", "4096"), "virtual processors"),
        (("vm", "new", "odd", "--memory", "lots"), "--memory: 'lots' is not a size"),
        (("vm", "new", "w", "--workload", "spin"), "workload"),
        (("vm", "new", "img", "--image", "/nonexistent.elf"), "no such guest image"),
        (("vm", "start", "ghost"), "no VM named 'ghost'"),
        (("job", "show", "999"), "no job 999"),
        (("vm", "set", "ghost", "--notes", "x"), "no VM named 'ghost'"),
        (("frobnicate",), "invalid choice"),
    ],
)
def test_bad_input_is_refused_with_one_line_and_exit_2(cli, args, message):
    r = cli(*args)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert re.search(message, r.stderr), r.stderr
    assert len(r.stderr.strip().splitlines()) <= 2 and "Traceback" not in r.stderr
    store = cli.home / "vms"
    assert not store.exists() or not any(p for p in store.iterdir() if not p.name.startswith("."))


def test_duplicate_names_and_disallowed_transitions_exit_2(cli):
    cli("vm", "new", "once", check=True)
    r = cli("vm", "new", "ONCE")
    assert r.returncode == 2 and "a VM named 'once' already exists" in r.stderr
    r = cli("vm", "pause", "once")
    assert r.returncode == 2 and "cannot pause VM 'once': it is Off (pause needs Running)" in r.stderr
    r = cli("vm", "set", "once", "--memory", "3M")
    assert r.returncode == 2 and "multiple of 2 MiB" in r.stderr
    r = cli("host", "pools")
    assert r.returncode == 2 and "storage pools belong to libvirt hosts" in r.stderr
    r = cli("vm", "new", "twice", "--disk-size", "16M", "--pool", "default")
    assert r.returncode == 2 and r.stderr.strip().endswith(
        "disk_size, pool: only a libvirt host takes these when creating a VM (make the disk first: bulkhead disk "
        "new PATH --size SIZE, then give --disk PATH)"), r.stderr
    cli("vm", "start", "once", check=True)
    r = cli("vm", "set", "once", "--memory", "128M")
    assert r.returncode == 2 and "while it is Running: turn it off first" in r.stderr
    cli("vm", "set", "once", "--notes", "may change while running", check=True)
    r = cli("vm", "remove", "once")
    assert r.returncode == 2 and "turn it off first" in r.stderr


def test_a_crashing_guest_fails_the_job_and_shows_critical(cli):
    cli("vm", "new", "crashy", "--start", check=True)
    cli("vm", "connect", "crashy", input="panic on purpose\n")
    vm = cli.json("vm", "show", "crashy")
    assert vm["state"] == "Critical" and vm["reason"] == "guest crashed: on purpose"
    r = cli("vm", "pause", "crashy")
    assert r.returncode == 2


def test_completion_and_help_with_examples(cli):
    r = cli("completion", "bash", check=True)
    assert "complete -o default -F _bulkhead bulkhead" in r.stdout and "connect" in r.stdout
    r = cli("vm", "new", "--help", check=True)
    assert "examples:" in r.stdout and "--workload" in r.stdout


@pytest.mark.parametrize("backend", ["auto", "emulation"])
def test_run_boots_a_throwaway_vm_in_process(tmp_path, backend):
    cli = Cli(tmp_path)
    r = cli("run", "--backend", backend, "--name", "clitest", input="info\npoweroff\n")
    assert r.returncode == 0, r.stderr
    assert "Bulkhead guest kernel" in r.stdout and "hostname clitest" in r.stdout
    assert "is Off" in r.stderr
    assert not (tmp_path / "vms").exists()  # nothing stored, no service started


def test_run_with_a_crashing_guest_exits_1_with_the_reason(tmp_path):
    r = Cli(tmp_path)("run", input="panic testing exit codes\n")
    assert r.returncode == 1
    assert "Critical: guest crashed: testing exit codes" in r.stderr


def test_run_usage_errors(tmp_path):
    cli = Cli(tmp_path)
    for args, message in [(("run", "--memory", "3M"), "multiple of 2 MiB"),
                          (("run", "--vcpus", "0"), "virtual processors must be between 1"),
                          (("run", "--image", "/nonexistent.elf"), "no such guest image")]:
        r = cli(*args)
        assert r.returncode == 2 and message in r.stderr, r.stderr


def test_script_run_uses_the_api(cli, tmp_path):
    script = tmp_path / "lab.py"
    script.write_text(
        "import sys\nfrom core import api\n"
        "with api.connect() as conn:\n"
        "    for n in sys.argv[1:]:\n"
        "        conn.new_vm(n, memory='32M').wait(check=True)\n"
        "    print(sorted(vm.name for vm in conn.vms()))\n")
    r = cli("script", "run", str(script), "lab-a", "lab-b", check=True)
    assert "['lab-a', 'lab-b']" in r.stdout
    r = cli("script", "run", str(tmp_path / "missing.py"))
    assert r.returncode == 2 and "no such script" in r.stderr


def test_help_is_fast_enough_to_feel_instant(cli):
    start = time.perf_counter()
    cli("--help", check=True)
    assert time.perf_counter() - start < 2.0  # the benchmark measures it properly; this only catches regressions


def test_switch_disk_and_network_from_the_command_line(cli, tmp_path):
    disk = tmp_path / "web.vhd"
    r = cli("disk", "new", str(disk), "--size", "32M", check=True)
    info = cli.json("disk", "info", str(disk))
    assert info["format"] == "vhd-dynamic" and info["virtual_size"] >= 32 << 20
    cli("switch", "new", "lab", check=True)
    jobs = cli.json("job", "list")
    assert any(j["name"] == "New virtual switch" and j["target_name"] == "lab" and j["state"] == "Completed"
               for j in jobs), jobs  # a state-changing operation, so a job in the history
    r = cli("switch", "new", "LAB")
    assert r.returncode == 2 and "already exists" in r.stderr
    cli("vm", "new", "web", "--disk", str(disk), "--switch", "lab", "--start", check=True)
    cli("vm", "new", "db", "--switch", "lab", "--ip", "192.0.2.50", "--start", check=True)
    web = cli.json("vm", "show", "web")
    assert web["network"] == "lab" and web["ip"] == "192.0.2.10" and web["disk_format"] == "vhd-dynamic"
    r = cli("vm", "connect", "web", input="ping 192.0.2.50 2\n", timeout=60, check=True)
    assert "2 sent, 2 received" in r.stdout, r.stdout[-800:]
    r = cli("vm", "new", "dup", "--disk", str(disk))
    assert r.returncode == 2 and "already attached" in r.stderr
    r = cli("switch", "remove", "lab")
    assert r.returncode == 2 and "used by" in r.stderr
    switches = cli.json("switch", "list")
    assert switches[0]["vms"] == ["db", "web"] and len(switches[0]["mac_table"]) == 2
    cli("vm", "kvp", "web", "--set", "role=frontend", check=True)
    r = cli("vm", "connect", "web", input="kvp get role\n", check=True)
    assert "role=frontend" in r.stdout
    kvp = cli.json("vm", "kvp", "web")
    assert kvp["host"] == {"role": "frontend"} and kvp["guest"].get("OSName") == "Bulkhead guest kernel"


def test_remove_keeps_the_disk_unless_told_to_delete_it(cli, tmp_path):
    kept, dropped = tmp_path / "kept.vhd", tmp_path / "dropped.vhd"
    for disk in (kept, dropped):
        cli("disk", "new", str(disk), "--size", "8M", check=True)
    cli("vm", "new", "a", "--disk", str(kept), check=True)
    cli("vm", "new", "b", "--disk", str(dropped), check=True)
    cli("vm", "remove", "a", check=True)
    r = cli("vm", "remove", "b", "--delete-storage", "--json", check=True)
    assert json.loads(r.stdout)[0]["result"]["deleted_files"] == [str(dropped)]
    assert kept.exists() and not dropped.exists()
    assert cli.json("vm", "list") == []
