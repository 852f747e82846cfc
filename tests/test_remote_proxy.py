"""``bulkhead host proxy`` (what ssh runs on the far side) without ssh: its stdin and stdout carry the protocol to
this user's host service, started on first use; the end of its input ends it after the last answer; a service that
cannot start is one line on stderr and exit code 1, nothing on stdout."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from .remotehosts import REPO, stop_service


def proxy(home, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "core.cli", "--home", str(home), "host", "proxy"], cwd=REPO,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=dict(os.environ, BULKHEAD_BACKEND="emulation"), **kw)


def test_the_proxy_starts_the_service_and_carries_the_protocol(tmp_path):
    p = proxy(tmp_path)
    try:
        requests = [{"v": 1, "id": 1, "method": "host.hello"}, {"v": 1, "id": 2, "method": "vm.list"}]
        out, err = p.communicate("".join(json.dumps(r) + "\n" for r in requests).encode(), timeout=60)
        answers = [json.loads(line) for line in out.splitlines()]
        assert [a["id"] for a in answers] == [1, 2] and answers[1]["result"] == [], (out, err)
        assert answers[0]["result"]["protocol"] == 1
        assert p.returncode == 0 and not err
        assert (tmp_path / "run" / "host.sock").exists()  # the service it started keeps running
    finally:
        stop_service(tmp_path)


def test_a_proxy_that_cannot_reach_a_service_says_why_on_stderr(tmp_path):
    store = tmp_path / "store"
    store.write_text("a file where the store folder should be")
    p = proxy(store)
    out, err = p.communicate(b"", timeout=60)
    assert p.returncode == 1 and out == b""
    assert err.decode().startswith("bulkhead: ") and err.decode().count("\n") == 1, err
