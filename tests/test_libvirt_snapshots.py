"""Checkpoints of libvirt domains (core/libvirt/snapshots.py) against libvirt's test driver in this process, which
keeps snapshots: the tree from their parents, "now", take, apply, revert, rename, delete and delete with children,
names, and refusals with their reasons (libvirt's own where it is libvirt that refuses)."""

from __future__ import annotations

import pytest

from core.model.errors import NotFound, OperationFailed, StateError, Unavailable, UsageError

libvirt = pytest.importorskip("libvirt", reason="libvirt-python is not installed (tools/ci-libvirt.sh install)")

from .helpers.events import EventLog  # noqa: E402
from .helpers.libvirt_test import connections, node_uri  # noqa: E402, F401

SHAPE = {"id", "name", "parent", "created", "memory", "children"}


def run(conn, method: str, **params):
    """Call a checkpoint method (a job), wait for it and return its finished job."""
    job = conn.call(method, **params)
    assert job["name"] == {"vm.checkpoint.new": "Create checkpoint", "vm.checkpoint.apply": "Apply checkpoint",
                           "vm.checkpoint.revert": "Revert VM", "vm.checkpoint.rename": "Rename checkpoint",
                           "vm.checkpoint.remove": "Delete checkpoint subtree" if params.get("subtree") else
                           "Delete checkpoint"}[method]
    assert job["target_name"] == params["vm"]
    return conn.wait_job(job["id"], 60)


def ok(conn, method: str, **params):
    job = run(conn, method, **params)
    assert job.state == "Completed", job.error
    return job.result


def take(conn, vm: str, name: str | None = None) -> dict:
    """Take a checkpoint; the job's result is shaped as on Bulkhead hosts; returns the new checkpoint."""
    result = ok(conn, "vm.checkpoint.new", vm=vm, **({"name": name} if name is not None else {}))
    assert result["name"] == vm and result["state"] == conn.vm(vm).state and result["pause_s"] is None
    checkpoint = result["checkpoint"]
    assert set(checkpoint) == SHAPE and checkpoint["memory"] is result["memory"]
    return checkpoint


def tree(conn, vm: str = "web1") -> tuple[dict[str, dict], str | None]:
    listing = conn.call("vm.checkpoint.list", vm=vm)
    assert set(listing) == {"checkpoints", "now"}
    for c in listing["checkpoints"]:
        assert set(c) == SHAPE, c
    return {c["id"]: c for c in listing["checkpoints"]}, listing["now"]


def test_a_tree_with_parents_children_and_now(make, node):
    conn = make(node)
    ev = EventLog(conn, ignore=("metrics",))
    assert conn.capabilities()["checkpoints"] is True
    assert tree(conn) == ({}, None)
    a = take(conn, "web1", "base")
    assert a["id"] == a["name"] == "base" and a["parent"] is None and a["memory"] is True and a["created"] > 0
    ok(conn, "vm.checkpoint.new", vm="web1", name="patched")
    assert ok(conn, "vm.checkpoint.apply", vm="web1", checkpoint="base")["state"] == "Running"
    ok(conn, "vm.checkpoint.new", vm="web1", name="branch")
    conn.stop_vm("web1", mode="turn_off").wait(timeout=10, check=True)
    off = take(conn, "web1", "cold")
    assert off["parent"] == "branch" and off["memory"] is False  # a VM that is off has no memory to keep
    checkpoints, now = tree(conn)
    assert now == "cold"
    assert {i: c["parent"] for i, c in checkpoints.items()} == {"base": None, "patched": "base", "branch": "base",
                                                                "cold": "branch"}
    assert sorted(checkpoints["base"]["children"]) == ["branch", "patched"] and checkpoints["cold"]["children"] == []
    assert [checkpoints[i]["memory"] for i in ("base", "patched", "branch", "cold")] == [True, True, True, False]
    order = list(checkpoints)
    assert all(order.index(c["parent"]) < order.index(i) for i, c in checkpoints.items() if c["parent"])
    # jobs name their VM; each change tells vm.changed
    jobs = conn.jobs(vm="web1")
    assert [j.name for j in jobs][:2] == ["Create checkpoint", "Turn off VM"]
    assert all(j.target_name == "web1" and j.state == "Completed" for j in jobs)
    changed = [d for k, d in ev.items if k == "vm.changed" and d["name"] == "web1"]
    assert len(changed) >= 5 and {"id", "state", "memory"} <= set(changed[-1])
    # another VM's checkpoints are its own
    assert tree(conn, "db1") == ({}, None)


def test_apply_and_revert_go_back_to_the_checkpoints_state(make, node):
    conn = make(node)
    with pytest.raises(StateError, match=r"VM 'web1' has no checkpoint to revert to \(vm checkpoint web1"):
        conn.call("vm.checkpoint.revert", vm="web1")
    ok(conn, "vm.checkpoint.new", vm="web1", name="running")
    conn.stop_vm("web1", mode="turn_off").wait(timeout=10, check=True)
    ok(conn, "vm.checkpoint.new", vm="web1", name="off")
    conn.start_vm("web1").wait(timeout=10, check=True)
    # revert: to "now" (the VM was off there)
    ev = EventLog(conn, ignore=("metrics",))
    result = ok(conn, "vm.checkpoint.revert", vm="web1")
    assert result["state"] == "Off" and result["checkpoint"] == {"id": "off", "name": "off"}
    assert conn.vm("web1").state == "Off" and result["name"] == "web1" and result["checkpoints"] == 2
    ev.wait_for(lambda k, d: k == "vm.state" and d["name"] == "web1" and d["state"] == "Off")
    kinds = [k for k, d in ev.items if k in ("vm.changed", "job.finished")]
    assert kinds.index("vm.changed") < kinds.index("job.finished")
    # apply: to the running one, from Off
    result = ok(conn, "vm.checkpoint.apply", vm="web1", checkpoint="running")
    assert result["state"] == "Running" and conn.vm("web1").state == "Running"
    assert tree(conn)[1] == "running"
    # a paused VM can be checkpointed and comes back paused
    ok(conn, "vm.checkpoint.new", vm="batch", name="paused")
    conn.resume_vm("batch").wait(timeout=10, check=True)
    assert ok(conn, "vm.checkpoint.revert", vm="batch")["state"] == "Paused"
    assert conn.vm("batch").state == "Paused"


def test_delete_reparents_children_and_subtree_deletes_them(make, node):
    conn = make(node)
    for name in ("a", "b", "c"):
        ok(conn, "vm.checkpoint.new", vm="web1", name=name)  # a <- b <- c
    ok(conn, "vm.checkpoint.apply", vm="web1", checkpoint="a")
    ok(conn, "vm.checkpoint.new", vm="web1", name="d")  # a <- d
    removed = ok(conn, "vm.checkpoint.remove", vm="web1", checkpoint="b")
    assert removed["removed"] == ["b"] and removed["now"] == "d" and removed["name"] == "web1"
    checkpoints, now = tree(conn)
    assert {i: c["parent"] for i, c in checkpoints.items()} == {"a": None, "c": "a", "d": "a"}
    assert sorted(checkpoints["a"]["children"]) == ["c", "d"] and now == "d"
    # the subtree: a and all below it
    ok(conn, "vm.checkpoint.new", vm="db1", name="other")
    removed = ok(conn, "vm.checkpoint.remove", vm="web1", checkpoint="a", subtree=True)
    assert removed["removed"] == ["a", "c", "d"] and removed["now"] is None
    assert tree(conn) == ({}, None)
    assert list(tree(conn, "db1")[0]) == ["other"]
    with pytest.raises(UsageError, match=r"subtree must be"):
        conn.call("vm.checkpoint.remove", vm="db1", checkpoint="other", subtree="yes")


def test_names_default_unique_and_renamed(make, node):
    conn = make(node)
    first = take(conn, "web1")
    assert first["name"].startswith("web1 - (") and first["name"].endswith(")")
    second = take(conn, "web1")  # the same second: still a name of its own
    assert second["name"] != first["name"] and second["parent"] == first["id"]
    ok(conn, "vm.checkpoint.new", vm="web1", name="Base")
    for name, why in (("base", r"already has a checkpoint named 'Base' \(names that differ only in case"),
                      ("Ｂａｓｅ", r"already has a checkpoint named 'Base'"),
                      ("a\u200bb", r"name cannot contain format characters \(found U\+200B"),
                      ("a/b", r"a checkpoint name"), ("   ", r"a checkpoint name cannot be empty")):
        with pytest.raises(UsageError, match=why):
            conn.call("vm.checkpoint.new", vm="web1", name=name)
    # named by id, or by a name that differs only in case or width
    with pytest.raises(NotFound, match=r"VM 'web1' has no checkpoint 'nope' \(vm checkpoints web1 lists them\)"):
        conn.call("vm.checkpoint.apply", vm="web1", checkpoint="nope")
    with pytest.raises(NotFound, match=r"no VM named 'nope'"):
        conn.call("vm.checkpoint.list", vm="nope")
    # rename: the children follow, "now" stays
    ok(conn, "vm.checkpoint.new", vm="web1", name="top")
    result = ok(conn, "vm.checkpoint.rename", vm="web1", checkpoint="BASE", name="golden")
    assert result["name"] == "web1" and result["state"] == "Running"
    renamed = result["checkpoint"]
    assert renamed["id"] == renamed["name"] == "golden" and renamed["parent"] == second["id"]
    assert renamed["children"] == ["top"]
    checkpoints, now = tree(conn)
    assert "Base" not in checkpoints and checkpoints["top"]["parent"] == "golden" and now == "top"
    assert checkpoints[second["id"]]["children"] == ["golden"]
    ok(conn, "vm.checkpoint.rename", vm="web1", checkpoint="top", name="latest")
    assert tree(conn)[1] == "latest"  # the current one renamed is still current
    with pytest.raises(UsageError, match=r"already has a checkpoint named 'golden'"):
        conn.call("vm.checkpoint.rename", vm="web1", checkpoint="latest", name="GOLDEN")
    with pytest.raises(UsageError, match=r"already has that name"):
        conn.call("vm.checkpoint.rename", vm="web1", checkpoint="latest", name="latest")
    # still a working tree: apply the renamed one
    assert ok(conn, "vm.checkpoint.apply", vm="web1", checkpoint="golden")["checkpoint"]["name"] == "golden"


def test_two_names_that_differ_only_in_case_are_ambiguous(make, node):
    conn = make(node)
    dom = conn._transport._conn.lookupByName("web1")
    for name in ("one", "ONE"):  # made behind Bulkhead's back: libvirt itself allows it
        dom.snapshotCreateXML(f"<domainsnapshot><name>{name}</name></domainsnapshot>", 0)
    assert ok(conn, "vm.checkpoint.apply", vm="web1", checkpoint="ONE")["checkpoint"]["id"] == "ONE"  # exact first
    with pytest.raises(UsageError, match=r"2 checkpoints of VM 'web1' are named 'One' \(ONE, one\)"):
        conn.call("vm.checkpoint.remove", vm="web1", checkpoint="One")


def test_what_libvirt_refuses_comes_back_with_libvirts_reason(make, node, monkeypatch):
    conn = make(node)
    t = conn._transport
    real = t._find

    class Refusing:
        """The domain, with a snapshot XML libvirt refuses (a disk it does not have)."""

        def __init__(self, dom):
            self._dom = dom

        def __getattr__(self, name):
            return getattr(self._dom, name)

        def snapshotCreateXML(self, xml, flags):
            xml = xml.replace("</domainsnapshot>", "<disks><disk name='vdz'/></disks></domainsnapshot>")
            return self._dom.snapshotCreateXML(xml, flags)

    monkeypatch.setattr(t, "_find", lambda ref: (real(ref)[0], Refusing(real(ref)[1])))
    job = run(conn, "vm.checkpoint.new", vm="web1", name="x")
    assert job.state == "Failed"
    assert job.error == "Create checkpoint 'x' of VM 'web1': unsupported configuration: no disk named 'vdz'"
    with pytest.raises(OperationFailed, match=r"no disk named 'vdz'"):
        conn.job(job.id).wait(check=True)
    monkeypatch.undo()
    assert tree(conn) == ({}, None)


def test_refusals_of_a_driver_without_snapshots_or_renames(make, node, monkeypatch):
    conn = make(node)
    t = conn._transport
    ok(conn, "vm.checkpoint.new", vm="web1", name="inside")
    # QEMU keeps an internal snapshot under its name in the disk image: no rename
    monkeypatch.setitem(t._facts, "driver", "QEMU")
    with pytest.raises(StateError, match=r"checkpoint 'inside' of VM 'web1' cannot be renamed: QEMU keeps an "
                                         r"internal snapshot under its name"):
        conn.call("vm.checkpoint.rename", vm="web1", checkpoint="inside", name="outside")
    # a driver that keeps no snapshots: the capability is refused with the reason, and so is every method
    monkeypatch.setitem(t._facts, "driver", "LXC")
    caps = conn.capabilities()
    reason = "libvirt's LXC driver keeps no snapshots of domains, so " + node + " has no checkpoints"
    assert caps["checkpoints"] is False and caps["reasons"]["checkpoints"] == reason
    for method, params in (("vm.checkpoint.list", {}), ("vm.checkpoint.new", {"name": "n"}),
                           ("vm.checkpoint.revert", {}), ("vm.checkpoint.remove", {"checkpoint": "inside"})):
        with pytest.raises(Unavailable) as e:
            conn.call(method, vm="web1", **params)
        assert str(e.value) == reason
    monkeypatch.undo()
    assert list(tree(conn)[0]) == ["inside"]
    assert [j.name for j in conn.jobs()] == ["Create checkpoint"]


def undefine(uri: str, *names: str) -> None:
    """Whatever a failed test left: the domains off and undefined with their snapshots' metadata."""
    c = libvirt.open(uri)
    try:
        for name in names:
            try:
                d = c.lookupByName(name)
                if d.isActive():
                    d.destroy()
                d.undefineFlags(libvirt.VIR_DOMAIN_UNDEFINE_MANAGED_SAVE
                                | libvirt.VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA)
            except libvirt.libvirtError:
                pass
    finally:
        c.close()


def test_a_qemu_domain_takes_and_reverts_a_checkpoint_with_its_memory(tmp_path):
    """On a real libvirtd (tools/ci-libvirt.sh start): the tiny guest of test_libvirt_qemu.py on a qcow2 overlay of
    its boot disk takes an internal checkpoint with its memory while it runs, reverts to it (running again) and
    deletes it; a checkpoint of one on its read-only raw disk alone is refused with libvirt's reason."""
    import shutil
    import subprocess
    import tempfile
    import uuid
    from pathlib import Path

    from .test_libvirt_qemu import SOCKET, boot_image, connect, new_tiny

    if not SOCKET.exists():
        pytest.skip(f"no libvirtd socket at {SOCKET} (tools/ci-libvirt.sh start)")
    if shutil.which("qemu-img") is None:
        pytest.skip("qemu-img is not installed (apt-get install qemu-utils)")
    folder = Path(tempfile.mkdtemp(prefix="bulkhead-libvirt-test-", dir="/var/tmp"))  # reachable by libvirt-qemu
    folder.chmod(0o755)
    boot = boot_image(folder)
    overlay = folder / "snap.qcow2"
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", "-F", "raw", "-b", str(boot), str(overlay)], check=True)
    overlay.chmod(0o666)
    name, raw = f"bk-snap-{uuid.uuid4().hex[:8]}", f"bk-raw-{uuid.uuid4().hex[:8]}"
    conn = connect("qemu:///system", tmp_path)
    try:
        job = conn.call("vm.new", name=name, memory=16 << 20, vcpus=1, disk=str(overlay), disk_format="qcow2",
                        domain_type="qemu", integration_services=False, start=True)
        assert conn.wait_job(job["id"], 60).state == "Completed"
        taken = take(conn, name, "running")
        assert taken["memory"] is True and taken["parent"] is None
        assert tree(conn, name)[1] == "running"
        with pytest.raises(StateError, match=r"cannot be renamed: QEMU keeps an internal snapshot"):
            conn.call("vm.checkpoint.rename", vm=name, checkpoint="running", name="other")
        conn.stop_vm(name, mode="turn_off").wait(timeout=30, check=True)
        result = ok(conn, "vm.checkpoint.revert", vm=name)
        assert result["state"] == "Running" and conn.vm(name).state == "Running"
        assert ok(conn, "vm.checkpoint.remove", vm=name, checkpoint="running")["removed"] == ["running"]
        assert tree(conn, name) == ({}, None)
        new_tiny(conn, folder, raw)  # its only disk is read-only raw
        job = run(conn, "vm.checkpoint.new", vm=raw, name="refused")
        assert job.state == "Failed" and job.error.startswith(f"Create checkpoint 'refused' of VM '{raw}': ")
        assert "snapshot" in job.error.split(": ", 1)[1]  # libvirt's own words
        assert tree(conn, raw) == ({}, None)
    finally:
        conn.close()
        undefine("qemu:///system", name, raw)
        shutil.rmtree(folder, ignore_errors=True)
