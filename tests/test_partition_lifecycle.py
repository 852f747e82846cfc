"""Real guests on both backends: boot, the shell, the lifecycle, save and restore, failures that stay contained."""

import re
import time

import pytest

from core.engine import TransitionError, VmState

from .conftest import MiB, wait_for_state


def test_boot_shell_round_trip_and_poweroff(boot):
    p, c = boot("shell", cmdline="hostname=alpha")
    assert "Bulkhead guest kernel" in c.text
    assert c.command("echo hello partition") == "hello partition"
    info = c.command("info")
    assert "alpha" in info and "64 MiB" in info and f"partition {p.id}" in info
    assert re.fullmatch(r"up \d+\.\d{3} s", c.command("uptime"))
    assert "unknown command: frobnicate" in c.command("frobnicate")
    p.send_serial(b"poweroff\r")
    wait_for_state(p, VmState.OFF)
    assert p.memory is None and p.machine is None  # everything released


def test_shutdown_request_powers_the_guest_off_cleanly(boot):
    p, c = boot("polite")
    p.request_shutdown()
    assert p.wait_for_state(VmState.OFF, timeout=10)
    assert "shutdown requested by the host" in c.text
    with pytest.raises(TransitionError, match="cannot shut down VM 'polite': it is Off"):
        p.request_shutdown()


def test_counters_are_measured(boot):
    p, c = boot("counters")
    c.command("uptime")
    time.sleep(0.2)  # the guest idles at its prompt
    counters = p.snapshot_counters()
    assert counters["exits"]["io"] > 10  # every serial byte is an exit
    assert counters["exits"]["mmio"] >= 1  # the guest clock
    assert counters["port_accesses"]["serial"] > 10
    assert counters["port_accesses"]["idle"] >= 1
    assert counters["vcpu_cpu_ns"][0] > 0
    assert 16 * 1024 <= counters["resident_bytes"] < 4 * MiB  # only what the guest touched


def test_pause_resume_freezes_the_guest_clock(boot):
    p, c = boot("pause")
    p.pause()
    assert p.state is VmState.PAUSED
    frozen = p.guest_clock_ns()
    time.sleep(0.3)
    assert p.guest_clock_ns() == frozen
    p.send_serial(b"echo after pause\r")  # typed while paused: answered after resume
    time.sleep(0.2)
    assert "after pause" not in c.text.split("echo after pause")[-1]
    p.resume()
    c.expect(r"after pause\r?\n")
    assert p.state is VmState.RUNNING


def test_save_and_start_from_saved_state_continues_the_guest(boot, tmp_path):
    p, c = boot("saver")
    deadline = time.monotonic() + 5
    while (before := int(c.command("ticks").split()[1])) == 0:  # the loop counts a pass at least once a second
        assert time.monotonic() < deadline
        time.sleep(0.1)
    uptime_before = float(c.command("uptime").split()[1])
    assert before > 0
    path = tmp_path / "saver.vmstate"
    size = p.save(path)
    assert p.state is VmState.SAVED and path.stat().st_size == size
    assert p.memory is None  # the partition's resources are released while saved
    p.start()
    assert p.state is VmState.RUNNING
    after = int(c.command("ticks").split()[1])
    assert before <= after < before + 50  # the counter in guest memory continued, no reboot
    assert float(c.command("uptime").split()[1]) >= uptime_before  # the guest clock continued too
    assert c.text.count("Bulkhead guest kernel") == 1
    assert not path.exists()  # consumed by the start


def test_saved_state_file_damage_is_refused_and_nothing_lost(boot, tmp_path):
    p, c = boot("damaged")
    path = tmp_path / "d.vmstate"
    p.save(path)
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    path.write_bytes(bytes(raw))
    with pytest.raises(ValueError, match="damaged"):
        p.start()
    assert p.state is VmState.SAVED and path.exists()


def test_illegal_transitions_are_refused(boot, hypervisor, guest_image):
    from core.engine import PartitionConfig

    off = hypervisor.create_partition(PartitionConfig("idle-off", 64 * MiB, str(guest_image)))
    with pytest.raises(TransitionError, match=r"cannot pause VM 'idle-off': it is Off \(pause needs Running\)"):
        off.pause()
    with pytest.raises(TransitionError, match="cannot resume"):
        off.resume()
    with pytest.raises(TransitionError, match="cannot save"):
        off.save("/nonexistent/x")
    p, _ = boot("running")
    with pytest.raises(TransitionError, match="cannot start VM 'running': it is Running"):
        p.start()
    with pytest.raises(TransitionError, match="cannot resume"):
        p.resume()
    p.turn_off()
    assert p.state is VmState.OFF


def test_triple_fault_goes_critical_while_another_vm_keeps_running(boot):
    healthy, hc = boot("healthy")
    broken, bc = boot("broken")
    broken.send_serial(b"fault\r")
    wait_for_state(broken, VmState.CRITICAL)
    assert "triple fault" in broken.reason
    assert hc.command("echo still here") == "still here"
    assert healthy.state is VmState.RUNNING
    broken.turn_off()
    assert broken.state is VmState.OFF
    broken.start()  # a Critical VM can be started again
    bc.expect(r"bulkhead\$ ", timeout=30)
    broken.turn_off()


def test_guest_panic_reports_its_message(boot):
    p, _ = boot("panicky")
    p.send_serial(b"panic disk on fire\r")
    wait_for_state(p, VmState.CRITICAL)
    assert p.reason == "guest crashed: disk on fire"


def test_reset_reboots_from_the_image(boot):
    p, c = boot("resettable")
    c.command("echo before")
    p.reset()
    assert p.state is VmState.RUNNING
    c.expect(r"Bulkhead guest kernel.*\n.*bulkhead\$ ", timeout=30)
    assert c.text.count("Bulkhead guest kernel") == 2
    p.send_serial(b"reboot\r")  # a reboot from inside the guest is a reset too
    deadline = time.monotonic() + 20
    while c.text.count("Bulkhead guest kernel") < 3:
        assert time.monotonic() < deadline, c.text[-500:]
        time.sleep(0.05)
    assert p.state is VmState.RUNNING


def test_multiple_vcpus_run_in_parallel(boot):
    p, c = boot("smp", vcpus=2)
    assert "2 vCPUs" in c.command("info")
    c.command("load 30")
    deadline = time.monotonic() + 15  # about 1.5 s on a quiet machine; longer when other work shares the cores
    cpu = p.vcpu_cpu_ns()
    while not all(ns > 100_000_000 for ns in cpu) and time.monotonic() < deadline:
        time.sleep(0.25)
        cpu = p.vcpu_cpu_ns()
    assert len(cpu) == 2 and all(ns > 100_000_000 for ns in cpu), cpu  # both processors burn time
    c.command("load 0")
    p.pause()
    p.resume()
    assert c.command("echo ok") == "ok"


def test_load_50_measures_40_to_60_percent(boot):
    p, c = boot("loaded")
    c.command("load 50")
    time.sleep(1.0)  # settle
    cpu0, t0 = p.vcpu_cpu_ns()[0], time.monotonic_ns()
    time.sleep(3.0)
    cpu1, t1 = p.vcpu_cpu_ns()[0], time.monotonic_ns()
    percent = 100 * (cpu1 - cpu0) / (t1 - t0)
    assert 40 <= percent <= 60, f"measured {percent:.1f}% guest CPU for load 50"
