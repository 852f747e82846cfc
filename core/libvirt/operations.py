"""Lifecycle operations on domains, each checked against core.model.states.OPERATIONS first and then run as a
job: start, stop (shut down, turn off, save), pause, resume, reset, remove (with its storage if asked)."""

from __future__ import annotations

import logging
import os
import time
from typing import Callable

from core.hosts.registry import implements
from core.model.errors import OperationFailed, StateError, UsageError
from core.model.spec import STOP_MODES
from core.model.states import OPERATIONS, TransitionError, check_operation

from .domains import Dom
from .domxml import DomainConfig
from .errors import libvirt_error, one_line

log = logging.getLogger(__name__)

SHUTDOWN_TIMEOUT = 60.0


class OperationsMixin:
    """The lifecycle jobs of a LibvirtTransport."""

    def _job(self, title: str, d: Dom, fn: Callable, cancellable: bool = False) -> dict:
        lv = self._lv

        def run(ctx):
            try:
                return fn(ctx)
            except lv.libvirtError as e:
                if self._call_lost(e):
                    raise OperationFailed(f"lost {self.uri}: {one_line(e.get_error_message())}") from None
                raise libvirt_error(e, f"{title} '{d.name}'") from None

        return self.submit_job(title, d.uuid, run, cancellable=cancellable, target_name=d.name)

    def _precheck(self, d: Dom, operation: str) -> None:
        """StateError unless the VM's state allows ``operation`` (the one table, core.model.states.OPERATIONS)."""
        try:
            check_operation(d.name, operation, d.state)
        except TransitionError as e:
            raise StateError(str(e), code="vm.state", vm=d.name, operation=operation, state=d.state) from None

    def _result(self, d: Dom, dom) -> dict:
        d.config = None
        return self._vm_dict(dom, d)

    # --- operations (each returns a job) -----------------------------------------------------------------------
    @implements("vm.start")
    def start_vm(self, vm: str) -> dict:
        d, dom = self._find(vm)
        self._precheck(d, "start")

        def run(ctx):
            dom.create()
            self._await_state(d, ("Running", "Paused"), dom)
            return self._result(d, dom)

        return self._job("Start VM", d, run)

    @implements("vm.stop")
    def stop_vm(self, vm: str, mode: str = "shut_down", timeout: float = SHUTDOWN_TIMEOUT) -> dict:
        if mode not in STOP_MODES:
            raise UsageError(f"unknown stop mode '{mode}' (choose {', '.join(STOP_MODES)})")
        d, dom = self._find(vm)
        self._precheck(d, mode)
        if mode == "turn_off":
            def turn_off(ctx):
                if d.state == "Saved":
                    dom.managedSaveRemove(0)
                    self._set_state(d, "Off", "saved state deleted")
                else:
                    dom.destroy()
                    self._await_state(d, ("Off", "Saved"), dom)
                return self._result(d, dom)

            return self._job("Turn off VM", d, turn_off)
        if mode == "save":
            def save(ctx):
                dom.managedSave(0)
                self._await_state(d, ("Saved",), dom)
                return self._result(d, dom)

            return self._job("Save VM", d, save)

        def shut_down(ctx):
            dom.shutdown()
            deadline = time.monotonic() + timeout
            while True:
                self._await_state(d, ("Off", "Saved", "Critical"), dom, timeout=0.25)
                if d.state in ("Off", "Saved", "Removed"):
                    break
                if d.state == "Critical":
                    raise OperationFailed(f"VM '{d.name}' went Critical while shutting down: {d.reason}")
                ctx.waiting(deadline, timeout, f"VM '{d.name}' did not shut down within {timeout:g} s (turn it off "
                            "to force it)", "waiting for the guest to shut down")
            return self._result(d, dom)

        return self._job("Shut down VM", d, shut_down, cancellable=True)

    def _simple(self, vm: str, operation: str, title: str, action: Callable, expect: tuple[str, ...]) -> dict:
        d, dom = self._find(vm)
        self._precheck(d, operation)

        def run(ctx):
            action(dom)
            self._await_state(d, expect, dom)
            if operation == "reset":
                self.metrics.marker(d.uuid, "reset")
            return self._result(d, dom)

        return self._job(title, d, run)

    @implements("vm.pause")
    def pause_vm(self, vm: str) -> dict:
        return self._simple(vm, "pause", "Pause VM", lambda dom: dom.suspend(), ("Paused",))

    @implements("vm.resume")
    def resume_vm(self, vm: str) -> dict:
        return self._simple(vm, "resume", "Resume VM", lambda dom: dom.resume(), ("Running",))

    @implements("vm.restart")
    def restart_vm(self, vm: str) -> dict:
        return self._simple(vm, "reset", "Reset VM", lambda dom: dom.reset(0), ("Running", "Paused"))

    @implements("vm.remove")
    def remove_vm(self, vm: str, delete_storage: bool = False) -> dict:
        """Undefine a domain that is off or saved (its managed save, snapshot metadata and NVRAM go too); with
        ``delete_storage`` its writable disks are deleted as well (storage volumes through their pool)."""
        d, dom = self._find(vm)
        if not OPERATIONS["remove"].allows(d.state):
            raise StateError(f"cannot remove VM '{d.name}': it is {d.state} (turn it off first)", code="vm.state",
                             vm=d.name, operation="remove", state=d.state)
        if not isinstance(delete_storage, bool):
            raise UsageError("delete_storage must be true or false")
        lv = self._lv

        def run(ctx):
            config = DomainConfig.parse(dom.XMLDesc(lv.VIR_DOMAIN_XML_INACTIVE)) if dom.isPersistent() else \
                DomainConfig.parse(dom.XMLDesc(0))
            flags = (lv.VIR_DOMAIN_UNDEFINE_MANAGED_SAVE | lv.VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA
                     | lv.VIR_DOMAIN_UNDEFINE_NVRAM | getattr(lv, "VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA", 0))
            try:
                dom.undefineFlags(flags)
            except lv.libvirtError as e:
                if e.get_error_code() not in (lv.VIR_ERR_NO_SUPPORT, lv.VIR_ERR_INVALID_ARG,
                                              lv.VIR_ERR_ARGUMENT_UNSUPPORTED):
                    raise
                if d.state == "Saved":
                    dom.managedSaveRemove(0)
                dom.undefine()
            deleted, kept = [], []
            for disk in config.disks:
                if disk["device"] != "disk" or disk["readonly"] or not disk["source"]:
                    continue
                if delete_storage and self._delete_disk(disk["source"]):
                    deleted.append(disk["source"])
                else:
                    kept.append(disk["source"])
            self._await_state(d, ("Removed",), dom, timeout=2.0)
            if d.state != "Removed":
                self._forget(d.uuid, d.name)
            return {"id": d.uuid, "name": d.name, "deleted_files": deleted, "kept_files": kept}

        return self._job("Remove VM", d, run)

    def _delete_disk(self, path: str) -> bool:
        conn = self._conn
        lv = self._lv
        try:
            vol = conn.storageVolLookupByPath(path)
            vol.delete(0)
            return True
        except lv.libvirtError:
            pass
        if self._is_local() and os.path.isfile(path):
            try:
                os.unlink(path)
                return True
            except OSError as e:
                log.warning("cannot delete %s: %s", path, e)
        return False

