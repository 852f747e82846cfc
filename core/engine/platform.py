"""The guest platform: physical layout, page tables, boot-info block and the entry state (docs/guest-abi.md)."""

from __future__ import annotations

import struct

MiB = 1024 * 1024
GiB = 1024 * MiB

BOOT_INFO = 0x1000
PML4 = 0x2000
PDPT = 0x3000
PD_BASE = 0x4000
LOAD_FLOOR = 0x100000  # images load at or above 1 MiB; below is the engine's
MMIO_BASE = 0x40_0000_0000  # 256 GiB: above any RAM, below every CPU's physical address width
MMIO_SIZE = 0x1000
PD_MMIO = 0xFF000

MIN_MEMORY = 4 * MiB
MAX_MEMORY = 64 * GiB
MAX_VCPUS = 64

BOOT_MAGIC = 0x44484B42  # "BKHD"
ABI_VERSION = 1
MMIO_MAGIC = 0x4F494B42  # "BKIO"
HOST_REQUEST_OFFSET = 40
DEVICE_FLAGS_OFFSET = 44
DEVICE_IDE = 1
DEVICE_VMBUS = 2
HOST_REQUEST_SHUTDOWN = 1
CMDLINE_OFFSET = 64
CMDLINE_MAX = 255
CRASH_OFFSET = 320
CRASH_MAX = 256
MAILBOX_OFFSET = 1024
MAILBOX_STRIDE = 16

# ports
COM1 = 0x3F8
PORT_SLEEP = 0x500
PORT_POWER = 0x501
PORT_CRASH = 0x502

# entry state (kvm-facts.md: ring 3, IOPL 3, long mode, no GDT/IDT)
CR0 = 0x80050033
CR4 = 0x20
EFER = 0x500
RFLAGS = 0x3002
CS_SELECTOR = 0x33
DS_SELECTOR = 0x2B
PTE_USER_PAGE = 0x87  # present | writable | user | 2 MiB
PTE_TABLE = 0x07  # present | writable | user

GPR_NAMES = ("rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rsp", "rbp",
             "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rip", "rflags")
# rflags bits a ring-3 guest can hold: CF PF AF ZF SF TF DF OF, bit 1 fixed, IOPL as set by the engine
_RFLAGS_GUEST_BITS = 0x0CD5 | 0x0100


def validate_layout(mem_size: int, vcpus: int) -> None:
    if mem_size < MIN_MEMORY or mem_size > MAX_MEMORY or mem_size % (2 * MiB):
        raise ValueError(
            f"memory must be a multiple of 2 MiB between {MIN_MEMORY // MiB} MiB and {MAX_MEMORY // GiB} GiB "
            f"(got {mem_size / MiB:g} MiB)"
        )
    if not 1 <= vcpus <= MAX_VCPUS:
        raise ValueError(f"virtual processors must be between 1 and {MAX_VCPUS} (got {vcpus})")


def write_page_tables(memory) -> None:
    """Identity map all RAM with 2 MiB user pages, plus the MMIO block."""
    gigs = (memory.size + GiB - 1) // GiB
    memory.write(PML4, struct.pack("<Q", PDPT | PTE_TABLE) + bytes(4088))
    pdpt = bytearray(4096)
    for g in range(gigs):
        struct.pack_into("<Q", pdpt, g * 8, (PD_BASE + g * 0x1000) | PTE_TABLE)
    struct.pack_into("<Q", pdpt, (MMIO_BASE // GiB) * 8, PD_MMIO | PTE_TABLE)
    memory.write(PDPT, bytes(pdpt))
    pages = memory.size // (2 * MiB)
    for g in range(gigs):
        pd = bytearray(4096)
        for i in range(min(512, pages - g * 512)):
            struct.pack_into("<Q", pd, i * 8, ((g * 512 + i) * 2 * MiB) | PTE_USER_PAGE)
        memory.write(PD_BASE + g * 0x1000, bytes(pd))
    memory.write(PD_MMIO, struct.pack("<Q", MMIO_BASE | PTE_USER_PAGE) + bytes(4088))


def write_boot_info(memory, partition_id: int, vcpus: int, cmdline: str, device_flags: int = 0) -> None:
    raw = cmdline.encode("utf-8")[:CMDLINE_MAX]
    block = bytearray(4096)
    struct.pack_into("<IIQIIQI", block, 0, BOOT_MAGIC, ABI_VERSION, memory.size, partition_id, vcpus, MMIO_BASE,
                     len(raw))
    struct.pack_into("<I", block, DEVICE_FLAGS_OFFSET, device_flags)
    block[CMDLINE_OFFSET : CMDLINE_OFFSET + len(raw)] = raw
    memory.write(BOOT_INFO, bytes(block))


def entry_registers(entry: int, vcpu_index: int) -> dict[str, int]:
    regs = dict.fromkeys(GPR_NAMES, 0)
    regs.update(rip=entry, rdi=BOOT_INFO, rsi=vcpu_index, rflags=RFLAGS)
    return regs


def sanitize_registers(regs: dict, mem_size: int) -> dict[str, int]:
    """Registers from a saved state are untrusted: every name known, every value a u64, rflags within ring 3's."""
    out = {}
    for name in GPR_NAMES:
        value = regs.get(name)
        if not isinstance(value, int) or not 0 <= value < 1 << 64:
            raise ValueError(f"saved register {name} is missing or not a 64-bit value")
        out[name] = value
    out["rflags"] = (out["rflags"] & _RFLAGS_GUEST_BITS) | RFLAGS
    if out["rip"] >= mem_size:
        raise ValueError(f"saved instruction pointer 0x{out['rip']:x} is outside guest memory")
    return out
