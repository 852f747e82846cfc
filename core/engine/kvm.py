"""Thin ctypes bindings to Linux KVM (/dev/kvm).

Only what the partition engine uses: system, VM and vCPU file descriptors, memory slots, registers, CPUID, the
dirty log and KVM_RUN. Struct sizes are asserted against linux/kvm.h at import time. Every ioctl goes through a
ctypes ``CDLL`` call, which releases the GIL, so vCPU threads run guest code in parallel.
"""

from __future__ import annotations

import ctypes
import errno
import mmap
import os
import signal
import threading

# --- ioctl numbers (linux/kvm.h, x86-64) ---------------------------------------------------------------------------
KVM_GET_API_VERSION = 0xAE00
KVM_CREATE_VM = 0xAE01
KVM_CHECK_EXTENSION = 0xAE03
KVM_GET_VCPU_MMAP_SIZE = 0xAE04
KVM_GET_SUPPORTED_CPUID = 0xC008AE05
KVM_CREATE_VCPU = 0xAE41
KVM_GET_DIRTY_LOG = 0x4010AE42
KVM_SET_USER_MEMORY_REGION = 0x4020AE46
KVM_SET_TSS_ADDR = 0xAE47
KVM_RUN = 0xAE80
KVM_GET_REGS = 0x8090AE81
KVM_SET_REGS = 0x4090AE82
KVM_GET_SREGS = 0x8138AE83
KVM_SET_SREGS = 0x4138AE84
KVM_SET_CPUID2 = 0x4008AE90
KVM_IOEVENTFD = 0x4040AE79
KVM_IOEVENTFD_FLAG_DATAMATCH = 1 << 0
KVM_IOEVENTFD_FLAG_PIO = 1 << 1
KVM_IOEVENTFD_FLAG_DEASSIGN = 1 << 2

KVM_API_VERSION = 12
KVM_MEM_LOG_DIRTY_PAGES = 1

# KVM_CHECK_EXTENSION capabilities worth reporting
CAPABILITIES = {
    "user_memory": 3,
    "set_tss_addr": 4,
    "ext_cpuid": 7,
    "nr_vcpus": 9,
    "nr_memslots": 10,
    "sync_mmu": 16,
    "ioeventfd": 36,
    "max_vcpus": 66,
    "readonly_mem": 81,
    "immediate_exit": 136,
}

# exit reasons
EXIT_EXCEPTION = 1
EXIT_IO = 2
EXIT_HYPERCALL = 3
EXIT_DEBUG = 4
EXIT_HLT = 5
EXIT_MMIO = 6
EXIT_SHUTDOWN = 8
EXIT_FAIL_ENTRY = 9
EXIT_INTR = 10
EXIT_INTERNAL_ERROR = 17
EXIT_SYSTEM_EVENT = 24

EXIT_NAMES = {
    0: "unknown",
    EXIT_EXCEPTION: "exception",
    EXIT_IO: "io",
    EXIT_HYPERCALL: "hypercall",
    EXIT_DEBUG: "debug",
    EXIT_HLT: "hlt",
    EXIT_MMIO: "mmio",
    EXIT_SHUTDOWN: "shutdown",
    EXIT_FAIL_ENTRY: "fail_entry",
    EXIT_INTR: "intr",
    EXIT_INTERNAL_ERROR: "internal_error",
    EXIT_SYSTEM_EVENT: "system_event",
}

IO_IN = 0
IO_OUT = 1


class KvmError(OSError):
    """An ioctl on /dev/kvm failed."""


# --- structs -------------------------------------------------------------------------------------------------------
class kvm_regs(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_uint64)
        for name in (
            "rax rbx rcx rdx rsi rdi rsp rbp r8 r9 r10 r11 r12 r13 r14 r15 rip rflags".split()
        )
    ]


class kvm_segment(ctypes.Structure):
    _fields_ = [("base", ctypes.c_uint64), ("limit", ctypes.c_uint32), ("selector", ctypes.c_uint16)] + [
        (name, ctypes.c_uint8) for name in "type present dpl db s l g avl unusable padding".split()
    ]


class kvm_dtable(ctypes.Structure):
    _fields_ = [("base", ctypes.c_uint64), ("limit", ctypes.c_uint16), ("padding", ctypes.c_uint16 * 3)]


SEGMENT_NAMES = ("cs", "ds", "es", "fs", "gs", "ss", "tr", "ldt")


class kvm_sregs(ctypes.Structure):
    _fields_ = [(name, kvm_segment) for name in SEGMENT_NAMES] + [
        ("gdt", kvm_dtable),
        ("idt", kvm_dtable),
    ] + [(name, ctypes.c_uint64) for name in "cr0 cr2 cr3 cr4 cr8 efer apic_base".split()] + [
        ("interrupt_bitmap", ctypes.c_uint64 * 4),
    ]


class kvm_userspace_memory_region(ctypes.Structure):
    _fields_ = [(name, ctypes.c_uint32) for name in ("slot", "flags")] + [
        (name, ctypes.c_uint64) for name in ("guest_phys_addr", "memory_size", "userspace_addr")]


class kvm_dirty_log(ctypes.Structure):
    _fields_ = [("slot", ctypes.c_uint32), ("padding", ctypes.c_uint32), ("dirty_bitmap", ctypes.c_uint64)]


class kvm_cpuid_entry2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_uint32) for name in "function index flags eax ebx ecx edx".split()] + [
        ("padding", ctypes.c_uint32 * 3),
    ]


MAX_CPUID_ENTRIES = 256


class kvm_cpuid2(ctypes.Structure):
    _fields_ = [
        ("nent", ctypes.c_uint32),
        ("padding", ctypes.c_uint32),
        ("entries", kvm_cpuid_entry2 * MAX_CPUID_ENTRIES),
    ]


class kvm_ioeventfd(ctypes.Structure):
    _fields_ = [(name, ctypes.c_uint64) for name in ("datamatch", "addr")] + [
        ("len", ctypes.c_uint32), ("fd", ctypes.c_int32), ("flags", ctypes.c_uint32), ("pad", ctypes.c_uint8 * 36)]


assert ctypes.sizeof(kvm_ioeventfd) == 64
assert ctypes.sizeof(kvm_regs) == 144
assert ctypes.sizeof(kvm_segment) == 24
assert ctypes.sizeof(kvm_sregs) == 312
assert kvm_sregs.gdt.offset == 192 and kvm_sregs.cr0.offset == 224 and kvm_sregs.efer.offset == 264
assert ctypes.sizeof(kvm_userspace_memory_region) == 32
assert ctypes.sizeof(kvm_dirty_log) == 16
assert ctypes.sizeof(kvm_cpuid_entry2) == 40

# kvm_run offsets (the struct is a union-heavy C layout; only the fields the engine reads)
RUN_IMMEDIATE_EXIT = 1
RUN_EXIT_REASON = 8
RUN_IO_DIRECTION = 32
RUN_IO_SIZE = 33
RUN_IO_PORT = 34
RUN_IO_COUNT = 36
RUN_IO_DATA_OFFSET = 40
RUN_MMIO_PHYS = 32
RUN_MMIO_DATA = 40
RUN_MMIO_LEN = 48
RUN_MMIO_IS_WRITE = 52
RUN_INTERNAL_SUBERROR = 32
RUN_FAIL_ENTRY_REASON = 32
RUN_SYSTEM_EVENT_TYPE = 32

# --- libc ----------------------------------------------------------------------------------------------------------
_libc = ctypes.CDLL(None, use_errno=True)
_ioctl = _libc.ioctl
_ioctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p]
_ioctl.restype = ctypes.c_int


def ioctl(fd: int, request: int, arg: int | ctypes._Pointer | None = 0) -> int:
    """Call ioctl(2) without holding the GIL; raise KvmError on failure."""
    if isinstance(arg, int) or arg is None:
        ret = _ioctl(fd, request, ctypes.c_void_p(arg or 0))
    else:
        ret = _ioctl(fd, request, arg)
    if ret < 0:
        err = ctypes.get_errno()
        raise KvmError(err, f"ioctl 0x{request:x}: {os.strerror(err)}")
    return ret


def _noop_handler(signum, frame):  # pragma: no cover - runs asynchronously
    pass


KICK_SIGNAL = signal.SIGUSR1
_kick_installed = False


def install_kick_handler() -> bool:
    """Install the no-op handler whose only job is to interrupt KVM_RUN (EINTR). Main thread only."""
    global _kick_installed
    if _kick_installed:
        return True
    if threading.current_thread() is not threading.main_thread():
        return signal.getsignal(KICK_SIGNAL) not in (signal.SIG_DFL, signal.SIG_IGN, None)
    current = signal.getsignal(KICK_SIGNAL)
    if current in (signal.SIG_DFL, signal.SIG_IGN, None):
        signal.signal(KICK_SIGNAL, _noop_handler)
    _kick_installed = True
    return True


# --- objects -------------------------------------------------------------------------------------------------------
class _KvmFd:
    """A KVM file descriptor: the system's, a VM's or a vCPU's."""

    fd: int

    def _read(self, request: int, value):
        """``value`` (a ctypes struct) filled in by the ioctl ``request``."""
        ioctl(self.fd, request, ctypes.byref(value))
        return value

    def _write(self, request: int, value: ctypes.Structure) -> None:
        ioctl(self.fd, request, ctypes.byref(value))

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


class Kvm(_KvmFd):
    """The /dev/kvm system file descriptor."""

    def __init__(self, path: str = "/dev/kvm") -> None:
        self.fd = os.open(path, os.O_RDWR | os.O_CLOEXEC)
        try:
            self.api_version = ioctl(self.fd, KVM_GET_API_VERSION)
            self.vcpu_mmap_size = ioctl(self.fd, KVM_GET_VCPU_MMAP_SIZE)
        except BaseException:
            os.close(self.fd)
            raise
        self._cpuid: kvm_cpuid2 | None = None

    def check_extension(self, cap: int) -> int:
        try:
            return ioctl(self.fd, KVM_CHECK_EXTENSION, cap)
        except KvmError:
            return 0

    def extensions(self) -> dict[str, int]:
        return {name: self.check_extension(cap) for name, cap in CAPABILITIES.items()}

    def supported_cpuid(self) -> kvm_cpuid2:
        if self._cpuid is None:
            cpuid = kvm_cpuid2()
            cpuid.nent = MAX_CPUID_ENTRIES
            ioctl(self.fd, KVM_GET_SUPPORTED_CPUID, ctypes.byref(cpuid))
            self._cpuid = cpuid
        return self._cpuid

    def create_vm(self) -> KvmVm:
        return KvmVm(self, ioctl(self.fd, KVM_CREATE_VM, 0))


class KvmVm(_KvmFd):
    def __init__(self, kvm: Kvm, fd: int) -> None:
        self.kvm = kvm
        self.fd = fd
        tss = ctypes.c_uint64(0xFFFBD000)
        # Intel VMX wants a TSS area even in long mode; other implementations refuse it harmlessly.
        try:
            _ioctl(fd, KVM_SET_TSS_ADDR, ctypes.c_void_p(tss.value))
        except Exception:
            pass

    def set_memory_region(self, slot: int, guest_phys: int, size: int, host_addr: int, flags: int = 0) -> None:
        self._write(KVM_SET_USER_MEMORY_REGION, kvm_userspace_memory_region(slot, flags, guest_phys, size, host_addr))

    def get_dirty_log(self, slot: int, bitmap: ctypes.Array) -> None:
        self._write(KVM_GET_DIRTY_LOG, kvm_dirty_log(slot, 0, ctypes.addressof(bitmap)))

    def ioeventfd(self, fd: int, port: int, length: int, datamatch: int | None = None, assign: bool = True) -> None:
        """Have a guest write to ``port`` signal eventfd ``fd`` inside the kernel, without an exit to user space."""
        flags = KVM_IOEVENTFD_FLAG_PIO | (0 if assign else KVM_IOEVENTFD_FLAG_DEASSIGN)
        if datamatch is not None:
            flags |= KVM_IOEVENTFD_FLAG_DATAMATCH
        self._write(KVM_IOEVENTFD, kvm_ioeventfd(datamatch or 0, port, length, fd, flags))

    def create_vcpu(self, index: int) -> KvmVcpu:
        return KvmVcpu(self, index, ioctl(self.fd, KVM_CREATE_VCPU, index))


class KvmVcpu(_KvmFd):
    def __init__(self, vm: KvmVm, index: int, fd: int) -> None:
        self.vm = vm
        self.index = index
        self.fd = fd
        self.run_map = mmap.mmap(fd, vm.kvm.vcpu_mmap_size, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
        self.run_buf = (ctypes.c_char * vm.kvm.vcpu_mmap_size).from_buffer(self.run_map)
        self.run_view = memoryview(self.run_map)
        self._regs = kvm_regs()
        self._sregs = kvm_sregs()

    def set_cpuid(self, cpuid: kvm_cpuid2) -> None:
        self._write(KVM_SET_CPUID2, cpuid)

    def get_regs(self) -> kvm_regs:
        return self._read(KVM_GET_REGS, kvm_regs())

    def set_regs(self, regs: kvm_regs) -> None:
        self._write(KVM_SET_REGS, regs)

    def get_sregs(self) -> kvm_sregs:
        return self._read(KVM_GET_SREGS, kvm_sregs())

    def set_sregs(self, sregs: kvm_sregs) -> None:
        self._write(KVM_SET_SREGS, sregs)

    def run(self) -> int:
        """Enter the guest until the next exit; returns 0, or -EINTR when kicked (immediate_exit or a signal)."""
        ret = _ioctl(self.fd, KVM_RUN, None)
        if ret < 0:
            err = ctypes.get_errno()
            if err in (errno.EINTR, errno.EAGAIN):
                return -errno.EINTR
            raise KvmError(err, f"KVM_RUN: {os.strerror(err)}")
        return ret

    def set_immediate_exit(self, value: bool) -> None:
        self.run_map[RUN_IMMEDIATE_EXIT] = 1 if value else 0

    def close(self) -> None:
        try:
            self.run_view.release()
            del self.run_buf
            self.run_map.close()
        except (BufferError, ValueError):
            pass  # a buffer export still alive; the mapping goes with the process
        super().close()
