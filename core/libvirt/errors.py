"""libvirt-python itself (imported on first use, with its event loop running in one thread), its errors as
Bulkhead's one-line errors, and libvirt's domain states as Bulkhead's state names."""

from __future__ import annotations

import logging
import threading
import time

from core.model.errors import BulkheadError, NotFound, OperationFailed, StateError, UsageError

log = logging.getLogger(__name__)

MiB = 1 << 20

_libvirt = None
_loop_lock = threading.Lock()
_loop_thread: threading.Thread | None = None


def load():
    """libvirt-python, with its default event loop registered and running in one daemon thread (once per process).
    The event implementation must be registered before the first connection is opened."""
    global _libvirt, _loop_thread
    with _loop_lock:
        if _libvirt is not None:
            return _libvirt
        try:
            import libvirt
        except ImportError:
            raise OperationFailed("libvirt connections need libvirt-python: ./setup.sh libvirt in a checkout, or pip "
                                  "install 'bulkhead[libvirt]' (it builds against libvirt's headers: on Debian or "
                                  "Ubuntu apt-get install libvirt-dev pkg-config gcc first)") from None
        libvirt.registerErrorHandler(lambda _ctx, _err: None, None)  # errors are raised, not printed
        libvirt.virEventRegisterDefaultImpl()

        def run() -> None:
            while True:
                try:
                    libvirt.virEventRunDefaultImpl()
                except Exception:  # never let one bad callback end the loop
                    log.exception("libvirt event loop")
                    time.sleep(0.1)

        _loop_thread = threading.Thread(target=run, name="libvirt-events", daemon=True)
        _loop_thread.start()
        _libvirt = libvirt
        return libvirt


def one_line(text: str, limit: int = 400) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def libvirt_error(e: Exception, what: str = "") -> BulkheadError:
    """A libvirt error as one clear line, of the kind the command line maps to an exit code."""
    lv = _libvirt
    msg = e.get_error_message() if hasattr(e, "get_error_message") and e.get_error_message() else str(e)
    msg = one_line(msg)
    text = f"{what}: {msg}" if what else msg
    code = e.get_error_code() if hasattr(e, "get_error_code") else None
    if lv is None or code is None:
        return OperationFailed(text)
    if code in (lv.VIR_ERR_NO_DOMAIN, lv.VIR_ERR_NO_NETWORK, lv.VIR_ERR_NO_STORAGE_POOL,
                lv.VIR_ERR_NO_STORAGE_VOL):
        return NotFound(text)
    if code in (lv.VIR_ERR_OPERATION_INVALID, lv.VIR_ERR_NO_SUPPORT, lv.VIR_ERR_ARGUMENT_UNSUPPORTED,
                lv.VIR_ERR_OPERATION_UNSUPPORTED):
        return StateError(text)
    if code in (lv.VIR_ERR_INVALID_ARG, lv.VIR_ERR_XML_ERROR, lv.VIR_ERR_CONFIG_UNSUPPORTED, lv.VIR_ERR_XML_DETAIL,
                lv.VIR_ERR_DOM_EXIST):
        return UsageError(text)
    return OperationFailed(text)


def state_name(lv, state: int, reason: int, managed_save: bool) -> tuple[str, str]:
    """libvirt's (state, reason) as Bulkhead's state name (core.model.states.VmState) and a reason to show."""
    if state in (lv.VIR_DOMAIN_RUNNING, lv.VIR_DOMAIN_BLOCKED):
        return "Running", ""
    if state == lv.VIR_DOMAIN_PAUSED:
        why = {lv.VIR_DOMAIN_PAUSED_MIGRATION: "migrating", lv.VIR_DOMAIN_PAUSED_IOERROR: "disk I/O error",
               lv.VIR_DOMAIN_PAUSED_WATCHDOG: "watchdog fired", lv.VIR_DOMAIN_PAUSED_SAVE: "saving",
               lv.VIR_DOMAIN_PAUSED_SHUTTING_DOWN: "shutting down", lv.VIR_DOMAIN_PAUSED_STARTING_UP: "starting",
               lv.VIR_DOMAIN_PAUSED_CRASHED: "the guest crashed",
               lv.VIR_DOMAIN_PAUSED_POSTCOPY_FAILED: "post-copy migration failed"}.get(reason, "")
        if reason == lv.VIR_DOMAIN_PAUSED_SAVE:
            return "Saving", ""
        if reason == lv.VIR_DOMAIN_PAUSED_STARTING_UP:
            return "Starting", ""
        return "Paused", why
    if state == lv.VIR_DOMAIN_SHUTDOWN:
        return "Stopping", "the guest is shutting down"
    if state == lv.VIR_DOMAIN_CRASHED:
        return "Critical", "the guest crashed"
    if state == lv.VIR_DOMAIN_PMSUSPENDED:
        return "Paused", "suspended by the guest (power management)"
    if managed_save:
        return "Saved", ""
    why = {lv.VIR_DOMAIN_SHUTOFF_CRASHED: "the guest crashed", lv.VIR_DOMAIN_SHUTOFF_FAILED: "failed to start",
           lv.VIR_DOMAIN_SHUTOFF_MIGRATED: "migrated away"}.get(reason, "") if state == lv.VIR_DOMAIN_SHUTOFF else ""
    return "Off", why
