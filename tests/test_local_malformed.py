"""Malformed requests to the embedded engine's host service, through an embedded connection and over its socket:
every one is a usage error with one line, never an internal error, and none leaves a job or a VM behind."""

from __future__ import annotations

import threading

import pytest

from core import api
from core.api.transport import SocketTransport
from core.hosts.alerts import AlertManager
from core.hosts.jobs import JobError, JobManager
from core.hosts.paths import HostPaths
from core.local.host import HostService
from core.local.server import HostServer
from core.model.errors import NotFound, UsageError

MiB = 1 << 20
HUGE = 1 << 70
SURROGATE = "a\udfffb"
DEEP: list = []
for _ in range(100):
    DEEP = [DEEP]

# (method, params) that must each be refused as a usage error; "vm" is an existing VM's name
MALFORMED = [
    # paths that are not paths
    ("vm.new", {"name": "p", "image": 5}),
    ("vm.new", {"name": "p", "image": "/tmp/a\x00b"}),
    ("vm.new", {"name": "p", "image": f"/tmp/{SURROGATE}"}),
    ("vm.new", {"name": "p", "disk": ["/tmp/x.vhd"]}),
    ("vm.new", {"name": "p", "disk": "/tmp/\x00"}),
    ("vm.set", {"vm": "vm", "image": {"path": "/x"}}),
    ("vm.set", {"vm": "vm", "disk": f"/{SURROGATE}"}),
    ("disk.new", {"path": 5, "size": MiB}),
    ("disk.new", {"path": None, "size": MiB}),
    ("disk.new", {"path": "/tmp/a\x00b.vhd", "size": MiB}),
    ("disk.new", {"path": f"/tmp/{SURROGATE}.vhd", "size": MiB}),
    ("disk.new", {"path": "/tmp/x.vhd", "size": "big"}),
    ("disk.new", {"path": "/tmp/x.vhd", "size": HUGE}),
    ("disk.new", {"path": "/tmp/x.vhd", "size": float("inf")}),
    ("disk.new", {"path": "/tmp/x.vhd", "size": MiB, "kind": ["fixed"]}),
    # names
    ("vm.new", {"name": SURROGATE}),
    ("vm.new", {"name": "a\u202eb"}),
    ("vm.new", {"name": "a\u200bb"}),
    ("vm.new", {"name": "\ufeffa"}),
    ("vm.new", {"name": ["a"]}),
    ("vm.show", {"vm": None}),
    ("vm.show", {"vm": ["vm"]}),
    ("vm.show", {"vm": {"name": "vm"}}),
    ("vm.start", {"vm": SURROGATE}),
    ("switch.new", {"name": ["lab"]}),
    ("switch.new", {"name": {"lab": 1}}),
    ("switch.new", {"name": "\udcff"}),  # the command line's $'\xff'
    ("switch.new", {"name": "lab\u200b"}),
    ("switch.new", {"name": "lab", "type": ["private"]}),
    ("switch.remove", {"name": ["lab"]}),
    # job ids and limits
    ("job.show", {"job": HUGE}),
    ("job.show", {"job": 10**30}),
    ("job.show", {"job": float("inf")}),
    ("job.show", {"job": 1e300}),
    ("job.show", {"job": "1"}),
    ("job.show", {"job": [1]}),
    ("job.wait", {"job": HUGE}),
    ("job.wait", {"job": 1, "timeout": "x"}),
    ("job.cancel", {"job": -(HUGE)}),
    ("job.cancel", {"job": {"id": 1}}),
    ("job.list", {"limit": "5"}),
    ("job.list", {"limit": HUGE}),
    ("job.list", {"limit": 2.5}),
    ("job.list", {"vm": ["vm"]}),
    # alerts
    ("alert.ack", {"alert": HUGE}),
    ("alert.ack", {"alert": 10**19}),
    ("alert.ack", {"alert": "x"}),
    ("alert.clear", {"alert": [1]}),
    ("alert.list", {"limit": HUGE}),
    ("alert.list", {"limit": "all"}),
    ("alert.rules.set", {"rules": "cpu_high"}),
    ("alert.rules.set", {"rules": [1]}),
    ("alert.rules.set", {"rules": [{"id": ["cpu_high"]}]}),
    ("alert.rules.set", {"rules": [{"id": {"a": 1}}]}),
    ("alert.rules.set", {"rules": [{"id": "cpu_high", "threshold": "high"}]}),
    # the console, metrics, settings
    ("vm.console.send", {"vm": "vm", "data": 5}),
    ("vm.console.send", {"vm": "vm", "data": ["ls"]}),
    ("vm.console.send", {"vm": "vm", "data": SURROGATE}),
    ("vm.console.send", {"vm": "vm", "data": None}),
    ("metrics.history", {"metrics": "cpu_percent"}),
    ("metrics.history", {"metrics": 5}),
    ("metrics.history", {"target": ["host"]}),
    ("vm.measure", {"vm": "vm", "seconds": "x"}),
    ("vm.stop", {"vm": "vm", "timeout": "x"}),
    ("vm.stop", {"vm": "vm", "mode": ["save"]}),
    ("vm.set", {"vm": "vm", "memory": -1}),
    ("vm.set", {"vm": "vm", "memory": 1e400}),
    ("vm.set", {"vm": "vm", "vcpus": HUGE}),
    ("vm.set", {"vm": "vm", "notes": {"a": 1}}),
    ("vm.set", {"vm": "vm", "network": ["lab"]}),
    ("vm.kvp.set", {"vm": "vm", "key": None, "value": "x"}),
    ("vm.kvp.set", {"vm": "vm", "key": ["k"], "value": "x"}),
    ("vm.kvp.set", {"vm": "vm", "key": "k", "value": 5}),
    ("vm.remove", {"vm": "vm", "delete_storage": "yes"}),
    # the request itself
    ("vm.list", {"evil": 1}),
    ("vm.list", {"x": DEEP}),
    ("vm.teleport", {}),
]


@pytest.fixture(scope="module")
def hosts(tmp_path_factory):
    """An embedded connection and a socket connection to one host service with one running VM named "vm"."""
    root = tmp_path_factory.mktemp("malformed")
    paths = HostPaths(root / "data", root / "run")
    service = HostService(paths)
    server = HostServer(service, paths.socket)
    server.bind()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    embedded = api.Connection(_Embedded(service), "embedded")
    embedded.new_vm("vm", memory=32 * MiB, start=True).wait(30, check=True)
    socket_conn = api.Connection(SocketTransport(paths.socket), "socket")
    yield {"embedded": embedded, "socket": socket_conn}
    socket_conn.close()
    server.stop()
    service.shutdown()


class _Embedded:
    def __init__(self, service) -> None:
        from core.api.transport import EmbeddedTransport

        self._t = EmbeddedTransport(service, owned=False)

    def call(self, method, params=None):
        return self._t.call(method, params)

    def subscribe(self, callback):
        return self._t.subscribe(callback)

    def close(self):
        pass


@pytest.mark.parametrize("via", ["embedded", "socket"])
def test_malformed_calls_are_usage_errors_and_change_nothing(hosts, via):
    conn = hosts[via]
    jobs = [j.id for j in conn.jobs(limit=1000)]
    vms = [v.name for v in conn.vms()]
    wrong = []
    for method, params in MALFORMED:
        try:
            conn.call(method, **params)
            wrong.append((method, params, "accepted"))
        except UsageError as e:
            text = str(e)
            if "\n" in text or "internal error" in text or "Traceback" in text:
                wrong.append((method, params, text))
        except Exception as e:  # noqa: BLE001 - any other error is what this test is about
            wrong.append((method, params, f"{type(e).__name__}: {e}"))
    assert not wrong, "\n".join(f"{m} {str(p)[:60]}: {why}" for m, p, why in wrong)
    assert [j.id for j in conn.jobs(limit=1000)] == jobs
    assert [v.name for v in conn.vms()] == vms
    assert conn.vm("vm").state == "Running"


def test_alert_ids_and_limits_are_checked_before_sqlite(tmp_path):
    alerts = AlertManager(tmp_path, lambda kind, data: None)
    try:
        for bad in ("1", 1.0, None, [1], True):
            with pytest.raises(UsageError):
                alerts.get(bad)
        for missing in (0, -5, HUGE, 1 << 63, (1 << 63) - 1):
            with pytest.raises(NotFound):
                alerts.acknowledge(missing)
        with pytest.raises(UsageError):
            alerts.list(limit="10")
        assert alerts.list(limit=HUGE) == [] and alerts.list(limit=-3) == []
    finally:
        alerts.close()


def test_job_ids_and_limits_are_checked_before_sqlite(tmp_path):
    jobs = JobManager(tmp_path / "jobs.sqlite")
    try:
        done = jobs.submit("One", "t", lambda ctx: 1)
        jobs.wait(done.id, 10)
        for bad in (HUGE, 1 << 63, 0, -1, "1", 1.5, None, [1]):
            for call in (jobs.get, jobs.wait, jobs.cancel):
                with pytest.raises(JobError):
                    call(bad)
        with pytest.raises(JobError):
            jobs.list(limit="5")
        assert [j.id for j in jobs.list(limit=HUGE)] == [done.id]
    finally:
        jobs.close()
