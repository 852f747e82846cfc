"""bulkhead+ssh://: an sshd on a loopback port (its own host key, a user key made at start, authorized_keys and a
known_hosts file written here) whose far side runs this checkout's ``bulkhead host proxy`` with a home of its own.
ssh never prompts: a key it cannot use and an unknown host key are refused at once in ssh's own words; the host
service starts on first use; events, jobs and the serial console work across the link; a killed service is
shown as disconnected and the next attempt starts it again."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import threading
import time

import pytest

from core import api
from core.model.errors import ProtocolError, ServiceUnavailable
from core.remote.links import SshLink
from core.remote.uri import parse_uri

from .helpers.remote import far_fixture
from .helpers.waiting import wait_until
from .remotehosts import SshHost, sshd_missing

pytestmark = pytest.mark.skipif(bool(sshd_missing()), reason=sshd_missing() or "sshd is here")
DEADLINE = 30.0


far = far_fixture(SshHost, "ssh")


def test_first_use_starts_the_far_service_and_serves_the_same_api(far):
    assert not (far.home / "run" / "host.sock").exists()
    with api.connect(uri=far.uri()) as conn:
        info = conn.host_info()
        assert info["store"] == str(far.home)  # the far side's home, not ours
        assert (far.home / "run" / "host.sock").exists()
        assert conn.uri == far.uri() and conn.status()["state"] == "connected"
        job = conn.new_vm("ssh-vm", memory="32M").wait(DEADLINE)
        assert job.state == "Completed", job.error
        assert "ssh-vm" in [v.name for v in conn.vms()]
        assert "--connect" in conn.script("vm.start", vm="ssh-vm").command_line
        conn.remove_vm("ssh-vm").wait(DEADLINE)


def test_ssh_never_prompts_and_says_why_in_its_own_words(far):
    started = time.monotonic()
    with pytest.raises(ServiceUnavailable, match=r"ssh: Host key verification failed\."):
        api.connect(uri=far.uri(known_hosts=far.keys / "empty_known_hosts"))
    with pytest.raises(ServiceUnavailable, match=r"ssh: .*Permission denied \(publickey\)"):
        api.connect(uri=far.uri(keyfile=far.keys / "stranger_key"))  # a key sshd does not know: it would ask
    with pytest.raises(ServiceUnavailable, match="far side's bulkhead host proxy: .*No such file or directory"):
        api.connect(uri=far.uri(command="/nonexistent/bulkhead"))
    assert time.monotonic() - started < DEADLINE


def test_ssh_runs_in_batch_mode_with_the_uris_options():
    link = SshLink(parse_uri("bulkhead+ssh://ops@rack1:2222/?home=/srv/bulk%20head&command=/opt/b/bin/bulkhead"
                             "&keyfile=/k/id&known_hosts=/k/kh"))
    argv = link.argv(10)
    assert argv[:1] == ["ssh"] and "BatchMode=yes" in argv and "ConnectTimeout=10" in argv
    assert argv[argv.index("-p") + 1] == "2222" and argv[argv.index("-l") + 1] == "ops"
    assert argv[argv.index("-i") + 1] == "/k/id" and "UserKnownHostsFile=/k/kh" in argv
    assert argv[-3:-1] == ["--", "rack1"]  # the host can never be taken for an option
    assert shlex.split(argv[-1]) == ["/opt/b/bin/bulkhead", "--home", "/srv/bulk head", "host", "proxy"]


def test_a_far_side_of_another_protocol_version_is_refused_naming_both(far):
    fake = far.keys / "v2-host"
    fake.write_text("#!/bin/sh\nread line\n"
                    "echo '{\"id\": 0, \"error\": {\"kind\": \"protocol\", \"message\": \"protocol version 1 is not"
                    " spoken here (this service speaks 2)\"}}'\n")
    fake.chmod(0o755)
    with pytest.raises(ProtocolError) as e:
        api.connect(uri=far.uri(command=str(fake)))
    assert "speaks protocol version 2" in str(e.value) and "version 1" in str(e.value), e.value


def test_events_jobs_and_the_serial_console_across_ssh(far):
    output = []
    got = threading.Event()
    with api.connect(uri=far.uri()) as conn:
        conn.subscribe(lambda kind, data: (output.append(data.get("data", "")),
                                           got.set() if "over ssh" in "".join(output) else None)
                       if kind == "vm.console" else None)
        job = conn.new_vm("ssh-console", memory="32M", start=True).wait(DEADLINE)
        assert job.state == "Completed", job.error
        wait_until(lambda: "bulkhead$" in conn.console_history("ssh-console"), DEADLINE, "the guest's prompt")
        conn.console_send("ssh-console", "echo over ssh\r")
        assert got.wait(DEADLINE), f"no console output over ssh: {''.join(output)!r}"
        assert conn.job(job.id).state == "Completed"
        conn.stop_vm("ssh-console", mode="turn_off").wait(DEADLINE)
        conn.remove_vm("ssh-console").wait(DEADLINE)


def test_a_killed_far_service_is_disconnected_then_started_again(far):
    conn = api.connect(uri=far.uri())
    try:
        told = []
        conn.subscribe(lambda kind, data: told.append(data["state"]) if kind == "connection.status" else None)
        job = conn.new_vm("ssh-lost", memory="32M").wait(DEADLINE)
        pid = conn.host_info()["pid"]
        os.kill(pid, 9)
        status = wait_until(lambda: (s := conn.status())["state"] == "disconnected" and s, 5.0, "disconnected")
        assert status["reason"]
        wait_until(lambda: conn.status()["state"] == "connected", DEADLINE, "reconnected")
        assert conn.host_info()["pid"] != pid  # the proxy started the service again
        assert conn.job(job.id).state == "Completed"
        wait_until(lambda: told and told[-1] == "connected", 5.0, "told connected")
        assert "disconnected" in told
        conn.remove_vm("ssh-lost").wait(DEADLINE)
    finally:
        conn.close()


def test_the_command_line_over_ssh_does_not_resolve_paths_here(far, tmp_path):
    env = dict(os.environ, BULKHEAD_HOME=str(tmp_path / "near"))
    run = [sys.executable, "-m", "core.cli", "--connect", far.uri()]
    out = subprocess.run([*run, "vm", "list"], capture_output=True, text=True, timeout=DEADLINE, env=env)
    assert out.returncode == 0, out.stderr
    out = subprocess.run([*run, "disk", "new", "relative.vhd", "--size", "1M"], capture_output=True, text=True,
                         timeout=DEADLINE, env=env, cwd=tmp_path)
    assert out.returncode == 2 and "absolute" in out.stderr, out.stderr  # the far host says so, not us
    assert not (tmp_path / "near" / "run").exists()  # no local host service was started
