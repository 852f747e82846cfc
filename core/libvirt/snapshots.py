"""Checkpoints of libvirt domains (docs/checkpoints.md): libvirt's snapshots, internal with memory where the domain
and its driver take that, disk-only (external) otherwise; the tree from their parents, "now" from the current one.
A checkpoint's id is its snapshot's name. What libvirt refuses comes back with libvirt's own reason."""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

from core.hosts.registry import implements
from core.model.errors import NotFound, StateError, UsageError
from core.model.methods import METHODS
from core.model.names import NAME_MAX, same_name, validate_name

from .domains import Dom
from .errors import libvirt_error, one_line
from .events import VOLATILE

# the drivers of libvirt that keep domain snapshots (virConnectGetType)
SNAPSHOT_DRIVERS = ("QEMU", "TEST", "ESX", "VBOX", "VZ", "PARALLELS")
# the states a checkpoint may be taken, applied or changed in (the others are on their way somewhere)
STEADY = ("Off", "Running", "Paused", "Saved", "Critical")
STATES = {"running": "Running", "blocked": "Running", "paused": "Paused", "pmsuspended": "Paused",
          "shutoff": "Off", "shutdown": "Off", "crashed": "Off", "disk-snapshot": None}


def _title(method: str) -> str:
    return METHODS[method].title


class SnapshotsMixin:
    """vm.checkpoint.* of a LibvirtTransport."""

    # --- refusal of the capability -------------------------------------------------------------------------------
    def checkpoints_refusal(self) -> str | None:
        """Why this connection's domains have no checkpoints, or None: libvirt's driver keeps no snapshots."""
        driver = (self._facts.get("driver") or "").upper()
        if not driver or driver in SNAPSHOT_DRIVERS:
            return None
        return f"libvirt's {self._facts.get('driver')} driver keeps no snapshots of domains, so {self.uri} has no " \
               "checkpoints"

    def checkpoint_facts(self, dom) -> dict:
        """What a VM dict says of its checkpoints, as on Bulkhead hosts: {"checkpoints": how many, "checkpoint": the
        current one's name or None}."""
        lv = self._lv
        try:
            count = dom.snapshotNum(0)
            current = dom.snapshotCurrent(0).getName() if dom.hasCurrentSnapshot(0) else None
        except lv.libvirtError:
            return {}
        return {"checkpoints": count, "checkpoint": current}

    # --- reading ---------------------------------------------------------------------------------------------------
    def _snapshots(self, dom) -> tuple[list[dict], str | None]:
        """Every snapshot of ``dom`` as a checkpoint dict, each after its parent, and the current one's id."""
        lv = self._lv
        out, now = [], None
        for snap in dom.listAllSnapshots(0):
            try:
                entry = self._entry(snap)
                if snap.isCurrent(0):
                    now = entry["id"]
            except lv.libvirtError as e:
                if e.get_error_code() == lv.VIR_ERR_NO_DOMAIN_SNAPSHOT:
                    continue  # deleted while we looked
                raise
            out.append(entry)
        ids = {e["id"] for e in out}
        for e in out:
            if e["parent"] not in ids:
                e["parent"] = None
        out.sort(key=lambda e: (e["created"], e["id"]))
        for e in out:
            e["children"] = [c["id"] for c in out if c["parent"] == e["id"]]
        # the tree's order: each checkpoint after its parent (snapshots of one second share a creation time)
        by_id = {e["id"]: e for e in out}
        ordered: list[dict] = []
        stack = [e for e in reversed(out) if e["parent"] is None]
        while stack:
            e = stack.pop()
            ordered.append(e)
            stack.extend(by_id[c] for c in reversed(e["children"]))
        return ordered, now

    def _entry(self, snap) -> dict:
        root = ET.fromstring(snap.getXMLDesc(0))
        name = root.findtext("name") or snap.getName()
        state = root.findtext("state") or ""
        memory = root.find("memory")
        if memory is not None:
            has_memory = memory.get("snapshot") in ("internal", "external")
        else:
            has_memory = state in ("running", "paused", "pmsuspended")
        try:
            created = float(root.findtext("creationTime") or 0)
        except ValueError:
            created = 0.0
        disks = [d.get("snapshot") for d in root.findall("disks/disk")]
        kind = "external" if "external" in disks or (memory is not None and memory.get("snapshot") == "external") \
            else "internal"
        return {"id": name, "name": name, "parent": root.findtext("parent/name") or None, "created": created,
                "memory": has_memory, "children": [], "state": STATES.get(state) or "Off", "kind": kind}

    def _snapshot(self, d: Dom, dom, ref: str):
        """The snapshot ``ref`` (its id, or a name differing only in case or width) of ``dom``, or NotFound."""
        if not isinstance(ref, str) or not ref.strip():
            raise UsageError("name a checkpoint (its id or name: vm checkpoints VM lists them)")
        lv = self._lv
        try:
            return dom.snapshotLookupByName(ref, 0)
        except lv.libvirtError as e:
            if e.get_error_code() != lv.VIR_ERR_NO_DOMAIN_SNAPSHOT:
                raise libvirt_error(e, f"checkpoint '{ref}' of VM '{d.name}'") from None
        matches = [n for n in dom.snapshotListNames(0) if same_name(n, ref)]
        if len(matches) > 1:
            raise UsageError(f"{len(matches)} checkpoints of VM '{d.name}' are named '{ref}' ("
                             f"{', '.join(sorted(matches))}): name it exactly")
        if not matches:
            raise NotFound(f"VM '{d.name}' has no checkpoint '{ref}' (vm checkpoints {d.name} lists them)",
                           code="checkpoint.not_found", vm=d.name, checkpoint=ref)
        return dom.snapshotLookupByName(matches[0], 0)

    def _steady(self, d: Dom, doing: str) -> None:
        if d.state not in STEADY:
            raise StateError(f"cannot {doing} of VM '{d.name}' while it is {d.state}: wait until it is Off, Running, "
                             "Paused or Saved", code="vm.state", vm=d.name, state=d.state)

    def _checkpoint_name(self, d: Dom, dom, name: str) -> str:
        """A new checkpoint's name: the one given (core.model.names rules) or "VM - (date time)", unused."""
        taken = dom.snapshotListNames(0)
        if name:
            name = validate_name(name, "a checkpoint name")
            for other in taken:
                if same_name(other, name):
                    same = "" if other == name else " (names that differ only in case or width are one name)"
                    raise UsageError(f"VM '{d.name}' already has a checkpoint named '{other}'{same}")
            return name
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        base = f"{d.name[:NAME_MAX - len(stamp) - 10]} - ({stamp})"
        name, n = base, 1
        while any(same_name(other, name) for other in taken):
            n += 1
            name = f"{base} {n}"
        return name

    def _changed(self, d: Dom, dom) -> dict:
        """The VM dict after a change of its checkpoints, told as vm.changed (even though its settings may look
        the same: its checkpoints are not)."""
        result = self._result(d, dom) | self.checkpoint_facts(dom)
        with self._lock:
            self._told[d.uuid] = {k: v for k, v in result.items() if k not in VOLATILE}
        self._emit("vm.changed", result)
        return result

    def _settle_events(self, timeout: float = 1.0) -> None:
        """Let the event worker tell what libvirt's events of a revert said (a running domain reverted to a running
        snapshot is stopped and started again) before the job tells its outcome."""
        deadline = time.monotonic() + timeout
        time.sleep(0.05)
        while self._events and time.monotonic() < deadline:
            time.sleep(0.02)

    def _checkpoint_job(self, title: str, d: Dom, fn) -> dict:
        def run(ctx):
            self._changing.add(d.uuid)  # libvirt's DEFINED events of the change are not told: the outcome is
            try:
                return fn(ctx)
            finally:
                self._changing.discard(d.uuid)

        return self._job(title, d, run)

    # --- the methods -----------------------------------------------------------------------------------------------
    @implements("vm.checkpoint.list")
    def list_checkpoints(self, vm: str) -> dict:
        """{"checkpoints": [{id, name, parent, created, memory, children, ...}], "now": id or None}."""
        d, dom = self._find(vm)
        try:
            checkpoints, now = self._snapshots(dom)
        except self._lv.libvirtError as e:
            raise libvirt_error(e, f"checkpoints of VM '{d.name}'") from None
        return {"checkpoints": [_public(c) for c in checkpoints], "now": now}

    @implements("vm.checkpoint.new")
    def new_checkpoint(self, vm: str, name: str = "") -> dict:
        """Take a snapshot: internal, with the memory when the VM runs, where libvirt takes that; a disk-only
        (external) one when libvirt refuses that; libvirt's reason when it refuses both."""
        d, dom = self._find(vm)
        self._steady(d, "take a checkpoint")
        name = self._checkpoint_name(d, dom, name)
        lv = self._lv
        xml = f"<domainsnapshot><name>{escape(name)}</name></domainsnapshot>"
        refused = (lv.VIR_ERR_OPERATION_UNSUPPORTED, lv.VIR_ERR_CONFIG_UNSUPPORTED, lv.VIR_ERR_NO_SUPPORT,
                   lv.VIR_ERR_ARGUMENT_UNSUPPORTED, lv.VIR_ERR_INVALID_ARG, lv.VIR_ERR_OPERATION_INVALID)
        title = _title("vm.checkpoint.new")

        def run(ctx):
            try:
                snap = dom.snapshotCreateXML(xml, 0)
            except lv.libvirtError as first:
                if first.get_error_code() not in refused:
                    raise
                try:
                    snap = dom.snapshotCreateXML(xml, lv.VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY
                                                 | lv.VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC)
                except lv.libvirtError as second:
                    if second.get_error_code() not in refused:
                        raise
                    raise libvirt_error(first, f"{title} '{name}' of VM '{d.name}'") from None
            entry = self._entry(snap)
            checkpoints, _ = self._snapshots(dom)
            entry = next((c for c in checkpoints if c["id"] == entry["id"]), entry)
            self._await_state(d, ("Running", "Paused", "Off", "Saved"), dom, timeout=0.5)
            vm_dict = self._changed(d, dom)
            return {"id": d.uuid, "name": d.name, "state": vm_dict["state"], "checkpoint": _public(entry),
                    "memory": entry["memory"], "disk": vm_dict["disk"], "pause_s": None}

        return self._checkpoint_job(title, d, run)

    def _go_to(self, d: Dom, dom, snap, title: str) -> dict:
        entry = self._entry(snap)

        def run(ctx):
            dom.revertToSnapshot(snap, 0)
            self._await_state(d, (entry["state"],), dom)
            self._settle_events()
            self._set_state(d, *self._live_state(dom))
            return self._changed(d, dom) | {"checkpoint": {"id": entry["id"], "name": entry["name"]}}

        return self._checkpoint_job(title, d, run)

    @implements("vm.checkpoint.apply")
    def apply_checkpoint(self, vm: str, checkpoint: str) -> dict:
        """Revert the domain to ``checkpoint`` (the present state is lost; later checkpoints start a branch)."""
        d, dom = self._find(vm)
        self._steady(d, "apply a checkpoint")
        snap = self._snapshot(d, dom, checkpoint)
        return self._go_to(d, dom, snap, _title("vm.checkpoint.apply"))

    @implements("vm.checkpoint.revert")
    def revert_checkpoint(self, vm: str) -> dict:
        """Revert the domain to its current snapshot (the one "now" descends from)."""
        d, dom = self._find(vm)
        self._steady(d, "revert to a checkpoint")
        lv = self._lv
        try:
            snap = dom.snapshotCurrent(0)
        except lv.libvirtError as e:
            if e.get_error_code() == lv.VIR_ERR_NO_DOMAIN_SNAPSHOT:
                raise StateError(f"VM '{d.name}' has no checkpoint to revert to (vm checkpoint {d.name} takes one)",
                                 code="checkpoint.none", vm=d.name) from None
            raise libvirt_error(e, f"the current checkpoint of VM '{d.name}'") from None
        return self._go_to(d, dom, snap, _title("vm.checkpoint.revert"))

    @implements("vm.checkpoint.rename")
    def rename_checkpoint(self, vm: str, checkpoint: str, name: str) -> dict:
        """libvirt cannot rename a snapshot: its metadata is defined again under the new name (its children's
        too, naming it as their parent) and the old metadata dropped, where the driver allows redefining it."""
        d, dom = self._find(vm)
        snap = self._snapshot(d, dom, checkpoint)
        old = snap.getName()
        entry = self._entry(snap)
        new = validate_name(name, "a checkpoint name")
        if new == old:
            raise UsageError(f"checkpoint '{old}' of VM '{d.name}' already has that name")
        for other in dom.snapshotListNames(0):
            if other != old and same_name(other, new):
                raise UsageError(f"VM '{d.name}' already has a checkpoint named '{other}'")
        driver = (self._facts.get("driver") or "").upper()
        if driver == "QEMU" and entry["kind"] == "internal":
            raise StateError(f"checkpoint '{old}' of VM '{d.name}' cannot be renamed: QEMU keeps an internal "
                             "snapshot under its name inside the disk images, and libvirt cannot rename it",
                             code="checkpoint.rename", vm=d.name, checkpoint=old)
        lv = self._lv
        title = _title("vm.checkpoint.rename")

        def run(ctx):
            xml = snap.getXMLDesc(lv.VIR_DOMAIN_SNAPSHOT_XML_SECURE)
            flags = lv.VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE
            if snap.isCurrent(0):
                flags |= lv.VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT
            try:
                renamed = dom.snapshotCreateXML(_with_name(xml, new), flags)
            except lv.libvirtError as e:
                raise libvirt_error(e, f"{title} '{old}' of VM '{d.name}' (libvirt renames a snapshot by defining "
                                       "it again)") from None
            moved = []
            try:
                for child in snap.listAllChildren(0):
                    dom.snapshotCreateXML(_with_parent(child.getXMLDesc(lv.VIR_DOMAIN_SNAPSHOT_XML_SECURE), new),
                                          lv.VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE
                                          | (lv.VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT if child.isCurrent(0) else 0))
                    moved.append(child)
                self._drop_metadata(snap)
            except lv.libvirtError as e:  # put back what was changed
                for child in moved:
                    try:
                        dom.snapshotCreateXML(_with_parent(child.getXMLDesc(lv.VIR_DOMAIN_SNAPSHOT_XML_SECURE), old),
                                              lv.VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE)
                    except lv.libvirtError:
                        pass
                try:
                    self._drop_metadata(renamed)
                except lv.libvirtError:
                    pass
                raise libvirt_error(e, f"{title} '{old}' of VM '{d.name}'") from None
            checkpoints, _ = self._snapshots(dom)
            entry = next((c for c in checkpoints if c["id"] == new), None) or self._entry(renamed)
            vm_dict = self._changed(d, dom)
            return {"id": d.uuid, "name": d.name, "state": vm_dict["state"], "checkpoint": _public(entry)}

        return self._checkpoint_job(title, d, run)

    def _drop_metadata(self, snap) -> None:
        """Forget a snapshot's metadata, keeping its data (the test driver's snapshots are metadata alone, and it
        takes no flags to say so)."""
        lv = self._lv
        try:
            snap.delete(lv.VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY)
        except lv.libvirtError as e:
            if not self._test_driver() or e.get_error_code() not in (lv.VIR_ERR_INVALID_ARG, lv.VIR_ERR_NO_SUPPORT):
                raise
            snap.delete(0)

    @implements("vm.checkpoint.remove")
    def remove_checkpoint(self, vm: str, checkpoint: str, subtree: bool = False) -> dict:
        """Delete a snapshot (its children then descend from its parent), or with ``subtree`` it and all below."""
        if not isinstance(subtree, bool):
            raise UsageError("subtree must be true or false")
        d, dom = self._find(vm)
        self._steady(d, "delete a checkpoint")
        snap = self._snapshot(d, dom, checkpoint)
        lv = self._lv
        title = _title("vm.checkpoint.remove")

        def run(ctx):
            before = {c["id"] for c in self._snapshots(dom)[0]}
            snap.delete(lv.VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN if subtree else 0)
            checkpoints, now = self._snapshots(dom)
            vm_dict = self._changed(d, dom)
            return {"id": d.uuid, "name": d.name, "state": vm_dict["state"],
                    "removed": sorted(before - {c["id"] for c in checkpoints}), "merged": [], "now": now}

        # the job's title as on Bulkhead hosts
        return self._checkpoint_job(f"{title} subtree" if subtree else title, d, run)


def _public(entry: dict) -> dict:
    """A checkpoint as vm.checkpoint.list gives it (docs/checkpoints.md)."""
    return {k: entry[k] for k in ("id", "name", "parent", "created", "memory", "children")}


def _with_name(xml: str, name: str) -> str:
    """A snapshot's XML under another name (its own <name>, the first in the document)."""
    out, n = re.subn(r"<name>[^<]*</name>", lambda _m: f"<name>{escape(name)}</name>", xml, count=1)
    if not n:
        raise UsageError(f"snapshot XML without a name: {one_line(xml, 80)}")
    return out


def _with_parent(xml: str, new: str) -> str:
    """A snapshot's XML naming ``new`` as its parent."""
    return re.sub(r"(<parent>\s*<name>)[^<]*(</name>)", lambda m: m.group(1) + escape(new) + m.group(2), xml,
                  count=1)
