"""A child partition: its lifecycle, one thread per virtual processor, and the run it builds and releases.

The exits it serves are in ``partition_exits``, its devices in ``partition_devices``, its counters in
``partition_counters``; ``Partition`` is those parts together.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core.model.states import TransitionError, VmState, check_operation, check_transition
from core.model.threads import name_this_thread

from . import platform as pf
from .devices import DeviceFault, IoBus, Uart8250
from .dirty import DirtyTracker
from .elfimage import GuestImage, load_image
from .errors import GuestFault
from .machine import Backend, Machine
from .memory import GuestMemory, GuestMemoryError
from .partition_counters import PartitionCounters, VcpuCounters
from .partition_devices import PartitionDevices
from .partition_exits import EXIT, PARK, RUN, PartitionExits
from .partition_migration import PartitionMigration
from .savestate import SavedStateError, read_saved_state, write_saved_state

log = logging.getLogger(__name__)

PARK_TIMEOUT = 10.0


CONTROLLERS = ("synthetic", "emulated")


@dataclass
class PartitionConfig:
    name: str
    memory: int  # bytes
    image: str
    vcpus: int = 1
    cmdline: str = ""
    disk: str = ""  # a virtual hard disk (VHD or raw) path, or none
    disk_format: str | None = None  # as recorded when attached (None: detect)
    disk_controller: str = "synthetic"  # synthetic (VMBus storage) or emulated (IDE, PIO)
    switch: object = None  # a VirtualSwitch for the synthetic network adapter, or none
    mac: bytes = b""
    integration_services: bool = True  # heartbeat, shutdown, time sync, KVP over the VMBus

    def validate(self) -> None:
        pf.validate_layout(self.memory, self.vcpus)
        if len(self.cmdline.encode()) > pf.CMDLINE_MAX:
            raise ValueError(f"the command line is longer than {pf.CMDLINE_MAX} bytes")
        if self.disk_controller not in CONTROLLERS:
            raise ValueError(f"unknown disk controller '{self.disk_controller}' (choose synthetic or emulated)")
        if self.switch is not None and len(self.mac) != 6:
            raise ValueError("a network adapter needs a 6-byte MAC address")


class Partition(PartitionMigration, PartitionExits, PartitionDevices, PartitionCounters):
    """One virtual machine's execution. Lifecycle calls are synchronous and serialised; the host service turns them
    into jobs. Listeners hear state changes (``on_state``) and serial output (``on_serial``) from engine threads.
    ``dirty`` tells every consumer which pages were written (``DirtyTracker``); it outlives the runs. Live
    migration (``migrate_out`` / ``migrate_in``) is in ``partition_migration``."""

    def __init__(self, config: PartitionConfig, partition_id: int, backend: Backend) -> None:
        config.validate()
        self.image: GuestImage = load_image(config.image)
        self.image.check_fits(config.memory)  # a bad image is refused before anything runs
        self.config = config
        self.id = partition_id
        self.backend = backend
        self.state = VmState.OFF
        self.reason = ""
        self.saved_state_path: Path | None = None
        self.started_at: float | None = None
        self.on_state: list[Callable[[Partition, VmState, VmState, str], None]] = []
        self.on_serial: list[Callable[[Partition, bytes], None]] = []
        self.on_device: list[Callable[[Partition, str, str], None]] = []
        self.device_failures: dict[str, str] = {}
        self.vmbus = None
        self.ide = None
        self.disk = None
        self.kvp_host: dict[str, str] = {}

        self._op_lock = threading.RLock()
        self._state_cond = threading.Condition()
        self._cond = threading.Condition()
        self._control = RUN
        self._parked = 0
        self._threads: list[threading.Thread] = []
        self._wake = [threading.Event() for _ in range(config.vcpus)]
        self._pending: tuple[str, str] | None = None
        self.machine: Machine | None = None
        self.memory: GuestMemory | None = None
        self.dirty = DirtyTracker(config.memory)
        self.counters = [VcpuCounters() for _ in range(config.vcpus)]
        self._clock_frozen = 0
        self._clock_origin: int | None = None

        self.serial = Uart8250(on_output=self._serial_output, on_input=lambda: self.wake(0))
        self.bus = IoBus()
        self.bus.register(pf.COM1, 8, self.serial)

    @property
    def name(self) -> str:
        return self.config.name

    # --- lifecycle ---------------------------------------------------------------------------------------------
    def start(self) -> None:
        """Boot from the image, or continue from the saved state when the VM is Saved."""
        with self._op_lock:
            check_operation(self.name, "start", self.state)
            previous = self.state
            self._set_state(VmState.STARTING)
            try:
                self._build(self.saved_state_path if previous is VmState.SAVED else None)
            except Exception as e:
                self._release()
                self._set_state(VmState.SAVED if previous is VmState.SAVED else VmState.OFF)
                if isinstance(e, (SavedStateError, ValueError, OSError, MemoryError)):
                    raise
                raise RuntimeError(f"cannot start VM '{self.name}': {e}") from e
            if previous is VmState.SAVED and self.saved_state_path:
                self.saved_state_path.unlink(missing_ok=True)
                self.saved_state_path = None
            self.reason = ""
            self.started_at = time.time()
            self._launch()
            self._set_state(VmState.RUNNING)

    def pause(self) -> None:
        with self._op_lock:
            self._check("pause")
            self._set_state(VmState.PAUSING)
            self._quiesce()
            self._set_state(VmState.PAUSED)

    def resume(self) -> None:
        with self._op_lock:
            self._check("resume")
            self._reclaim_disk()  # after a migration that left it here unconfirmed
            self._set_state(VmState.RESUMING)
            self._unquiesce()
            self._set_state(VmState.RUNNING)

    def save(self, path: str | Path) -> int:
        """Save memory, vCPU and device state to ``path`` and release the partition; returns the file size."""
        path = Path(path)
        with self._op_lock:
            self._check("save")
            previous = self.state
            self._set_state(VmState.SAVING)
            self._quiesce(park=previous is VmState.RUNNING)  # no VSP may touch guest memory while it is written
            try:
                size = write_saved_state(path, self._state_header(), self.memory)
            except OSError as e:
                # nothing is lost: the guest carries on as it was
                if previous is VmState.RUNNING:
                    self._unquiesce()
                self._set_state(previous)
                raise OSError(e.errno, f"cannot save VM '{self.name}' to {path}: {e.strerror}") from None
            self._stop_threads()
            self._release()
            self.saved_state_path = path
            self._set_state(VmState.SAVED)
            return size

    def reset(self) -> None:
        """Hard reset: memory cleared, image reloaded, every vCPU back at the entry point. The VM stays Running."""
        with self._op_lock:
            self._check("reset")
            self._reclaim_disk()
            was_paused = self.state is VmState.PAUSED
            if not was_paused and not self._park_all():
                return
            self._clear_pending()
            if self.vmbus is not None:
                self.vmbus.suspend()
                self.vmbus.reset()
            if self.ide is not None:
                self.ide.reset()
            self.memory.clear()
            self._load_fresh()
            self.serial.set_state(self.serial.get_state() | {"rx": ""})
            if self.vmbus is not None:
                self.vmbus.resume()
            if was_paused:
                self._set_state(VmState.RESUMING)
            self._run_all()
            if was_paused:
                self._set_state(VmState.RUNNING)

    def turn_off(self) -> None:
        """Pull the plug: the guest gets no chance to react and its memory is gone. A Saved VM's saved state is
        discarded (it goes Off without running); a VM already stopping is forced off."""
        with self._op_lock:
            self._check("turn_off")
            if self.state is VmState.SAVED:
                self._discard_saved_state()
                return
            if self.state is not VmState.STOPPING:
                self._set_state(VmState.STOPPING)
            self._stop_threads()
            self._release()
            self._clear_pending()
            self._set_state(VmState.OFF)

    def request_shutdown(self) -> None:
        """Press the power button: the guest sees the request the next time it wakes and powers off cleanly.
        Returns at once; ``wait_for_state`` tells when (and whether) the guest went Off."""
        with self._op_lock:
            self._check("shut_down")
            shutdown = self.vsp("shutdown")
            if shutdown is not None and shutdown.request():
                return  # the integration service delivered it
            value = self.memory.read_u64(pf.BOOT_INFO + pf.HOST_REQUEST_OFFSET) & ~0xFFFFFFFF
            self.memory.write_u64(pf.BOOT_INFO + pf.HOST_REQUEST_OFFSET, value | pf.HOST_REQUEST_SHUTDOWN)
            self.wake(0)

    def wait_for_state(self, states, timeout: float | None = None) -> bool:
        """Block until the partition is in one of ``states`` (a state or a collection); False on timeout."""
        wanted = {states} if isinstance(states, VmState) else set(states)
        with self._state_cond:
            return self._state_cond.wait_for(lambda: self.state in wanted, timeout)

    def delete_saved_state(self) -> None:
        with self._op_lock:
            check_operation(self.name, "delete_saved_state", self.state)
            self._discard_saved_state()

    def _discard_saved_state(self) -> None:
        if self.saved_state_path:
            self.saved_state_path.unlink(missing_ok=True)
        self.saved_state_path = None
        self._set_state(VmState.OFF)

    def adopt_saved_state(self, path: str | Path) -> None:
        """Mark an Off partition as Saved with an existing file (after a host service restart)."""
        with self._op_lock:
            check_operation(self.name, "start", self.state)
            read_saved_state(path)  # validated whole now, so a damaged file is reported, not a failed start later
            self.saved_state_path = Path(path)
            with self._state_cond:
                self.state = VmState.SAVED
                self._state_cond.notify_all()

    def close(self) -> None:
        """Tear down whatever runs (used when the host service exits without a stop action)."""
        with self._op_lock:
            if self.machine is not None:
                self._stop_threads()
                self._release()

    # --- host-side I/O -----------------------------------------------------------------------------------------
    def send_serial(self, data: bytes) -> int:
        return self.serial.feed(data)

    def serial_history(self) -> bytes:
        return self.serial.output_history()

    def wake(self, index: int) -> None:
        if 0 <= index < len(self._wake):
            self._wake[index].set()

    # --- internals ---------------------------------------------------------------------------------------------
    def _check(self, operation: str) -> None:
        check_operation(self.name, operation, self.state)
        if self._pending is not None:
            raise TransitionError(f"cannot {operation.replace('_', ' ')} VM '{self.name}': {self._pending[1]}")

    def _set_state(self, new: VmState, reason: str = "") -> None:
        old = self.state
        check_transition(old, new)
        with self._state_cond:
            self.state = new
            if new is VmState.CRITICAL:
                self.reason = reason
            self._state_cond.notify_all()
        for listener in list(self.on_state):
            try:
                listener(self, old, new, reason)
            except Exception:  # a listener's bug must not break the partition
                log.exception("state listener failed")

    def _serial_output(self, data: bytes) -> None:
        for listener in list(self.on_serial):
            try:
                listener(self, data)
            except Exception:
                log.exception("serial listener failed")

    def _build(self, saved_state: Path | None) -> None:
        self._build_run()
        if saved_state is None:
            self._load_fresh()
        else:
            self._restore(saved_state)
        self._attach_run()

    def _build_run(self, devices: bool = True) -> None:
        """Memory and the machine (unless an incoming migration made them already) and, with ``devices``, the
        devices of a new run."""
        if self.memory is None:
            self.memory = GuestMemory(self.config.memory)
        if self.machine is None:
            self.machine = self.backend.create_machine(self.memory, self.config.vcpus)
            self.counters = [VcpuCounters() for _ in range(self.config.vcpus)]
        if devices:
            self._build_devices()

    def _attach_run(self) -> None:
        self.dirty.attach(self.machine, self.memory)  # what the guest and the VSPs write from here on
        if self.vmbus is not None:
            self.vmbus.start(self.memory, self.machine)

    def _restore(self, saved_state: Path) -> None:
        header = read_saved_state(saved_state, self.memory)
        self._apply_state(header, lambda reason, code: SavedStateError.of(saved_state, reason, code))

    def _state_header(self) -> dict:
        """The state a saved state's header (or a migration's STATE record) holds; the VM is quiesced."""
        return {
            "memory": self.config.memory,
            "vcpus": self.config.vcpus,
            "backend": self.backend.name,
            "image_sha256": hashlib.sha256(self.image.data).hexdigest(),
            "clock_ns": self._clock_frozen,
            "registers": [self.machine.get_registers(i) for i in range(self.config.vcpus)],
            "devices": {"serial": self.serial.get_state(),
                        **({"ide": self.ide.get_state()} if self.ide else {}),
                        **({"vmbus": self.vmbus.get_state()} if self.vmbus else {})},
        }

    def _apply_state(self, header: dict, fail: Callable[[str, str], Exception]) -> None:
        """Restore an untrusted ``_state_header`` into the built run; ``fail(reason, code)`` makes the error."""
        if header.get("memory") != self.config.memory:
            raise fail(f"was taken with {header.get('memory')} bytes of memory, the VM has {self.config.memory}",
                       "mismatch")
        if header.get("vcpus") != self.config.vcpus:
            raise fail(f"has {header.get('vcpus')} vCPUs, the VM has {self.config.vcpus}", "mismatch")
        registers = header.get("registers")
        if not isinstance(registers, list) or len(registers) != self.config.vcpus:
            raise fail("has damaged registers", "invalid")
        clock = header.get("clock_ns")
        if not isinstance(clock, int) or clock < 0:
            raise fail("has a damaged clock", "invalid")
        try:
            regs = [pf.sanitize_registers(r if isinstance(r, dict) else {}, self.config.memory) for r in registers]
            devices = header.get("devices") or {}
            self.serial.set_state(devices.get("serial") or {})
            if self.ide is not None:
                self.ide.set_state(devices.get("ide") or {})
            if self.vmbus is not None:
                self.vmbus.set_state(devices.get("vmbus") or {}, self.memory)
        except (ValueError, TypeError, AttributeError) as e:
            raise fail(f"has damaged device state: {e}", "invalid") from None
        for i, r in enumerate(regs):
            self.machine.set_registers(i, r)
        self._clock_frozen = clock

    def _load_fresh(self) -> None:
        pf.write_page_tables(self.memory)
        self.image.load_into(self.memory)
        pf.write_boot_info(self.memory, self.id, self.config.vcpus, self.config.cmdline, self.device_flags)
        for i in range(self.config.vcpus):
            self.machine.set_registers(i, pf.entry_registers(self.image.entry, i))
        self._clock_frozen = 0
        self._clock_origin = None

    def _launch(self, parked: bool = False) -> None:
        """Start the vCPU threads: running, or ``parked`` (a VM that arrives paused; the clock stays stopped)."""
        self._control = PARK if parked else RUN
        self._parked = 0
        for ev in self._wake:
            ev.clear()
        if not parked:
            self._clock_run()
        self._threads = [
            threading.Thread(target=self._vcpu_main, args=(i,), name=f"vcpu{i}:{self.name}", daemon=True)
            for i in range(self.config.vcpus)
        ]
        for t in self._threads:
            t.start()

    def _vcpu_main(self, index: int) -> None:
        name_this_thread(f"vcpu{index}:{self.name}")
        try:
            self.machine.run_vcpu(index, self)
        except (GuestFault, DeviceFault, GuestMemoryError) as e:
            self.vcpu_failed(index, str(e))
        except Exception as e:  # the engine's own failure still only stops this partition
            log.exception("vCPU %d of %s failed", index, self.name)
            self.vcpu_failed(index, f"virtual processor {index} failed: {e}")
        finally:
            self.counters[index].cpu_ns_done += time.thread_time_ns()
            with self._cond:
                self._cond.notify_all()

    def _kick_all(self) -> None:
        for i, ev in enumerate(self._wake):
            ev.set()
            if self.machine is not None:
                self.machine.kick(i)

    def _park_all(self) -> bool:
        with self._cond:
            self._control = PARK
        self._kick_all()
        deadline = time.monotonic() + PARK_TIMEOUT
        ok = False
        while not ok and time.monotonic() < deadline:
            with self._cond:  # re-kick now and then: a kick can land just before a vCPU enters the guest
                ok = self._cond.wait_for(
                    lambda: self._parked >= sum(t.is_alive() for t in self._threads) or self._control is EXIT, 0.05
                )
            if not ok:
                self._kick_all()
        if not ok:
            self._fail_now(f"virtual processors did not stop within {PARK_TIMEOUT:g} s")
        if self._control is not PARK or self.state is VmState.CRITICAL:
            raise RuntimeError(f"VM '{self.name}' failed while stopping its processors: {self.reason}")
        return True

    def _quiesce(self, park: bool = True) -> None:
        """Nothing changes guest memory or the guest clock from here: vCPUs parked, VMBus suspended, clock stopped."""
        if park:
            self._park_all()
        if self.vmbus is not None:
            self.vmbus.suspend()
        self._clock_stop()

    def _unquiesce(self) -> None:
        if self.vmbus is not None:
            self.vmbus.resume()
        self._run_all()

    def _run_all(self) -> None:
        self._clock_run()
        with self._cond:
            self._control = RUN
            self._cond.notify_all()

    def _stop_threads(self) -> None:
        with self._cond:
            self._control = EXIT
            self._cond.notify_all()
        self._kick_all()
        me = threading.current_thread()
        for t in self._threads:
            if t is not me:
                t.join(PARK_TIMEOUT)
        self._clock_stop()

    def _release(self) -> None:
        self.dirty.detach()
        self.ide = None
        for part in ("vmbus", "disk", "machine", "memory"):  # in this order: the devices, then what they use
            obj = getattr(self, part)
            if obj is not None:
                obj.close()
                setattr(self, part, None)
        self._threads = []

    def _clock_run(self) -> None:
        self._clock_origin = time.monotonic_ns() - self._clock_frozen

    def _clock_stop(self) -> None:
        self._clock_frozen = self.guest_clock_ns()
        self._clock_origin = None

    def _clear_pending(self) -> None:
        with self._cond:
            self._pending = None

    def guest_request(self, kind: str, detail: str) -> None:
        """A guest-initiated stop (power off, reboot, crash, fault): stop every vCPU now, act on another thread."""
        with self._cond:
            if self._pending is not None:
                return
            self._pending = (kind, detail)
            if self._control is RUN:
                self._control = PARK
        self._kick_all()
        threading.Thread(target=self._handle_guest_request, name=f"guest-request:{self.name}", daemon=True).start()

    def _handle_guest_request(self) -> None:
        with self._op_lock:
            pending = self._pending
            if pending is None or self.state not in (VmState.RUNNING, VmState.PAUSED):
                self._clear_pending()
                return
            kind, detail = pending
            if kind == "reboot":
                self._clear_pending()
                self.reset()
                return
            self._set_state(VmState.STOPPING if kind == "poweroff" else VmState.CRITICAL, detail)
            self._stop_threads()
            self._release()
            self._clear_pending()
            if kind == "poweroff":
                self._set_state(VmState.OFF)
            log.info("VM %s: %s", self.name, detail)

    def _fail_now(self, reason: str) -> None:
        self._set_state(VmState.CRITICAL, reason)
        self._stop_threads()
        self._release()
