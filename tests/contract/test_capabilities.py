"""Capabilities, refusals with reasons, argument checks and limits: every kind of host answers from the one
method registry (core/model/methods.py), so what it cannot do is refused with its reason (never "unknown method"),
and a bad argument is a usage error before anything runs."""

from __future__ import annotations

import pytest

from core.api import HostLimits
from core.model.errors import BulkheadError, StateError, UsageError
from core.model.methods import CAPABILITIES, METHODS
from core.model.spec import SETTINGS

from .conftest import SMALL, MiB, raises, refused


def _sample(param, host, vm: str):
    """A valid value for a required parameter of a declared method (so only the capability can refuse it)."""
    values = {"vm": vm, "key": "contract", "value": "yes", "destination": "test:///default", "name": host.name("sw"),
              "new_name": host.name("sw2"), "data": "x", "path": str(host.home / f"{host.name('disk')}.vhd"),
              "size": 1 * MiB, "rules": [],
              "job": 1, "alert": 1}
    return values[param.name]


def _call_refused(host, method, vm: str, capability: str):
    params = {p.name: _sample(p, host, vm) for p in method.params if p.required}
    if method.name == "vm.stop":
        params["mode"] = capability
    return host.conn.call(method.name, **params)


def test_capabilities_name_every_key_with_reasons(host):
    caps = host.conn.capabilities()
    missing = [k for k in CAPABILITIES if k not in caps]
    assert not missing, f"{host.kind}: capabilities() lacks {missing}"
    assert isinstance(caps["reasons"], dict)
    for key in CAPABILITIES:
        assert isinstance(caps[key], bool), f"{host.kind}: {key} is {caps[key]!r}"
        if not caps[key]:
            reason = caps["reasons"].get(key)
            assert isinstance(reason, str) and reason.strip() and "\n" not in reason, \
                f"{host.kind}: {key} is refused without a reason"


def test_a_refused_capability_is_refused_with_its_reason_never_unknown_method(host):
    caps = host.conn.capabilities()
    vm = host.new_vm("refusals")
    tried = []
    for key in CAPABILITIES:
        reason = refused(caps, key)
        if not reason:
            continue
        methods = [m for m in METHODS.values()
                   if m.capability == key or (m.name == "vm.stop" and key in ("shut_down", "turn_off", "save"))]
        for method in methods:
            if method.name == "host.stop":
                continue  # test_host_stop_is_offered_only_where_it_works (a wrong answer here stops the host)
            e = raises(StateError, lambda m=method, k=key: _call_refused(host, m, vm, k),
                       f"{host.kind}: {method.name} ({key}: {reason})")
            message = str(e)
            assert "unknown method" not in message and reason in message, \
                f"{host.kind}: {method.name} refused as {message!r}, capabilities say {reason!r}"
            tried.append(method.name)
    if not any(not caps[k] for k in CAPABILITIES):
        pytest.skip(f"{host.kind} refuses no capability")
    assert tried


def test_host_stop_is_offered_only_where_it_works(host):
    """The host service over its socket can be stopped (the suite does so at its end); an embedded host and a
    libvirt connection refuse host.stop with their reason."""
    caps = host.conn.capabilities()
    if host.kind in ("socket", "remote-tls", "remote-ssh"):
        assert caps["host_stop"] is True, f"socket: host_stop refused as {caps['reasons'].get('host_stop')!r}"
        return
    reason = refused(caps, "host_stop")
    assert reason, f"{host.kind}: capabilities offer host_stop"
    e = raises(StateError, lambda: host.conn.call("host.stop"), f"{host.kind}: host.stop")
    assert reason in str(e) and "unknown method" not in str(e), f"{host.kind}: {e}"
    assert host.conn.vms() is not None  # still there


def test_every_declared_method_is_known(host):
    """No declared method answers "unknown method" on any kind of host: it runs, or it is refused with a reason."""
    vm = host.new_vm("declared")
    for method in METHODS.values():
        if method.name in ("host.stop", "job.cancel") or method.job:
            continue  # these change things; their refusals are checked above
        params = {p.name: _sample(p, host, vm) for p in method.params if p.required}
        try:
            host.conn.call(method.name, **params)
        except BulkheadError as e:
            assert "unknown method" not in str(e), f"{host.kind}: {method.name}: {e}"


@pytest.mark.parametrize("method, params, says", [
    ("vm.new", {"memory": "lots"}, "memory"),
    ("vm.new", {"vcpus": "two"}, "vcpus"),
    ("vm.new", {"vcpus": 1.5}, "vcpus"),
    ("vm.new", {"vcpus": True}, "vcpus"),
    ("vm.new", {"vcpus": 1 << 70}, "vcpus"),
    ("vm.new", {"memory": 1 << 80}, "memory"),
    ("vm.new", {"memory": float("nan")}, "finite"),
    ("vm.new", {"memory": float("inf")}, "finite"),
    ("vm.new", {"start": "yes"}, "start"),
    ("vm.new", {"notes": ["a"]}, "notes"),
    ("vm.new", {"colour": "red"}, "colour"),
    ("vm.new", {"automatic_start_action": "sometimes"}, "automatic_start_action"),
])
def test_bad_arguments_to_vm_new_are_usage_errors_before_any_job(host, method, params, says):
    name = host.name("args")
    before = host.job_ids()
    e = raises(UsageError, lambda: host.conn.call(method, name=name, **params), f"{host.kind}: {method} {params}")
    assert says in str(e) and "\n" not in str(e), f"{host.kind}: {e}"
    assert host.job_ids() == before, f"{host.kind}: a refused {method} made a job"
    assert name not in [v.name for v in host.conn.vms()]


def test_bad_arguments_to_other_methods(host):
    conn = host.conn
    vm = host.new_vm("other-args")
    before = host.job_ids()
    for method, params in (("vm.start", {"vm": vm, "force": True}),
                           ("vm.start", {}),
                           ("vm.start", {"vm": 7}),
                           ("vm.stop", {"vm": vm, "mode": "explode"}),
                           ("vm.stop", {"vm": vm, "timeout": float("nan")}),
                           ("vm.stop", {"vm": vm, "timeout": float("-inf")}),
                           ("vm.set", {"vm": vm, "vcpus": 1 << 64}),
                           ("vm.set", {"vm": vm, "memory": float("inf")}),
                           ("vm.set", {"vm": vm, "shoe_size": 9}),
                           ("metrics.history", {"seconds": float("nan")}),
                           ("metrics.history", {"seconds": 1e300}),
                           ("vm.measure", {"vm": vm, "seconds": float("inf")}),
                           ("alert.list", {"limit": 1 << 70}),
                           ("job.list", {"limit": "all"})):
        e = raises(UsageError, lambda m=method, p=params: conn.call(m, **p), f"{host.kind}: {method} {params}")
        assert "\n" not in str(e) and "Traceback" not in str(e), f"{host.kind}: {method}: {e}"
    assert host.job_ids() == before, f"{host.kind}: a refused call made a job"
    with pytest.raises(UsageError, match="unknown method"):
        conn.call("vm.teleport", vm=vm)  # only a method nobody declared is unknown


def test_limits(host):
    limits = host.conn.limits()
    assert isinstance(limits, HostLimits)
    assert 0 < limits.memory_min <= limits.memory_max and limits.memory_step >= 1 and limits.vcpus_max >= 1
    assert limits.memory_min <= SMALL <= limits.memory_max  # the contract's VMs fit every host


def test_memory_over_the_limit_is_refused_naming_the_limit(host):
    limits = host.conn.limits()
    step = max(limits.memory_step, 1)
    over = (limits.memory_max // step + 1) * step
    limit_mib = limits.memory_max // MiB
    before = host.job_ids()
    for call in (lambda n: host.conn.new_vm(n, memory=over), lambda n: host.conn.call("vm.new", name=n, memory=over)):
        with pytest.raises(UsageError) as e:
            call(host.name("huge"))
        assert str(limit_mib) in str(e.value) or f"{limit_mib:,}" in str(e.value), \
            f"{host.kind}: memory over {limit_mib} MiB refused as {e.value!r}"
    vm = host.new_vm("small")
    with pytest.raises(UsageError) as e:
        host.conn.set_vm(vm, memory=over)
    assert str(limit_mib) in str(e.value) or f"{limit_mib:,}" in str(e.value), f"{host.kind}: {e.value}"
    assert host.job_ids()[1:] == before  # only the small VM's job


def test_the_memory_limit_is_true(host):
    """A VM of exactly memory_max is accepted (made, never started: guest memory is mapped on first touch), so the
    limit the wizard and the command line show is the one the host enforces."""
    limits = host.conn.limits()
    step = max(limits.memory_step, 1)
    most = limits.memory_max // step * step
    vm = host.new_vm("largest", memory=most)
    assert host.conn.vm(vm).memory == most


def test_vcpus_over_the_limit_are_refused_naming_the_limit(host):
    limits = host.conn.limits()
    with pytest.raises(UsageError) as e:
        host.conn.new_vm(host.name("cpus"), memory=SMALL, vcpus=limits.vcpus_max + 1)
    assert str(limits.vcpus_max) in str(e.value), f"{host.kind}: {e.value}"


def test_settings_another_kind_of_host_takes_are_refused_naming_them(host):
    """A setting of core.model.spec.SETTINGS this kind of host does not take is refused with its name (and never
    silently dropped), before any job exists."""
    kind = "libvirt" if host.kind.startswith("libvirt") else "bulkhead"
    samples = {"size": 1 * MiB, "bool": True, "int": 2, "path": str(host.home / "x"), "str": "qcow2"}
    foreign = [p for p in SETTINGS if kind not in p.kinds]
    if not foreign:
        pytest.skip(f"{host.kind} takes every setting")
    before = host.job_ids()
    for p in foreign:
        value = p.choices[-1] if p.choices else samples[p.type]
        name = host.name("foreign")
        e = raises(UsageError, lambda p=p, v=value, n=name: host.conn.call("vm.new", name=n, memory=SMALL,
                                                                             **{p.name: v}),
                   f"{host.kind}: vm.new {p.name}={value!r}")
        assert p.name in str(e), f"{host.kind}: {e}"
        assert name not in [v.name for v in host.conn.vms()]
    assert host.job_ids() == before
