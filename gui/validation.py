"""Checks the wizard and settings make as the user types (no widgets: safe on worker threads).

They say early what the host would refuse; the host still checks everything and its message is shown if it refuses
anyway. The limits are the target host's (``core.model.limits.HostLimits``, from ``conn.limits()``), the rules for
names and settings those of ``core.model`` - nothing here keeps a copy of its own. Every message goes through Qt's
translation (``gui.i18n.translate``, context "Validation"; it may be called from any thread).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction

from core.model.limits import HostLimits
from core.model.names import NAME_MAX, bad_character, same_name
from core.model.spec import SETTING
from core.model.units import split_size
from gui.i18n import translate

MiB = 1 << 20
NOTES_MAX = SETTING["notes"].max_length


def _control(text: str, allow_newlines: bool = False) -> bool:
    """Whether ``text`` holds a character no one-line text (or, with ``allow_newlines``, no note) may hold."""
    bad = bad_character(text, allow_newlines=allow_newlines)
    return bad is not None and not (allow_newlines and bad[1] == "format")


def name_problem(name: str, existing: list[str] = (), current: str | None = None) -> str | None:
    name = name.strip()
    if not name:
        return translate("Validation", "Type a name for the virtual machine.")
    if len(name) > NAME_MAX:
        return translate("Validation", "A name can have at most {max} characters ({n} now).").format(
            max=NAME_MAX, n=len(name))
    if _control(name):
        return translate("Validation", "A name cannot contain control or formatting characters.")
    if "/" in name or "\\" in name:
        return translate("Validation", "A name cannot contain '/' or '\\'.")
    if name.startswith("."):
        return translate("Validation", "A name cannot start with '.'.")
    if ".." in name:
        return translate("Validation", "A name cannot contain '..'.")
    for other in existing:
        if same_name(other, name) and (current is None or not same_name(other, current)):
            return translate("Validation", "There is already a virtual machine named '{name}' on this host.").format(
                name=other)
    return None


# --- a host's limits -------------------------------------------------------------------------------------------
def provisional_limits(host_info: dict | None) -> HostLimits:
    """Until a host has answered ``host.limits``: the platform's (HostLimits' own defaults) narrowed by the memory
    and processors the host says it has in ``host.info``."""
    caps = (host_info or {}).get("capabilities") or {}
    limits = HostLimits()
    memory, cpus = caps.get("memory_bytes") or 0, caps.get("logical_processors") or 0
    if memory and memory < limits.memory_max:
        top = max(limits.memory_min, memory - memory % max(1, limits.memory_step))
        limits = replace(limits, memory_max=top, memory_reason=translate(
            "Validation", "this host has {size} MiB").format(size=f"{memory // MiB:,}"))
    if cpus and cpus < limits.vcpus_max:
        limits = replace(limits, vcpus_max=int(cpus), vcpus_reason=translate(
            "Validation", "this host has {n} logical processors").format(n=cpus))
    return limits


def as_limits(limits: HostLimits | int | None) -> HostLimits:
    """HostLimits as given; a number is a host's memory in bytes (callers that have no HostLimits yet)."""
    if isinstance(limits, HostLimits):
        return limits
    return provisional_limits({"capabilities": {"memory_bytes": limits or 0}})


def memory_limit_mib(limits: HostLimits | int | None) -> int:
    """The most memory, in MiB, a VM may have on this host."""
    return as_limits(limits).memory_max // MiB


def vcpu_limit(limits: HostLimits | int | None) -> int:
    """The most virtual processors on this host (a number: the host's logical processors)."""
    if isinstance(limits, HostLimits):
        return limits.vcpus_max
    return provisional_limits({"capabilities": {"logical_processors": limits or 0}}).vcpus_max


def count(n: int | Fraction) -> str:
    """A whole number as messages show it: 1024, 24,104, 10,238,976 (a separator from five digits on); a fraction
    with up to two decimals (1.5)."""
    if n != int(n):
        return f"{float(n):,.2f}".rstrip("0").rstrip(".")
    n = int(n)
    return f"{n:,}" if abs(n) >= 10_000 else str(n)


def memory_problem(mib: int, limits: HostLimits | int | None) -> str | None:
    limits = as_limits(limits)
    low, high, step = limits.memory_min // MiB, limits.memory_max // MiB, max(1, limits.memory_step // MiB)
    if mib < low:
        return translate("Validation", "A virtual machine needs at least {n} MiB.").format(n=count(low))
    if mib > high:
        if limits.memory_reason:
            return translate("Validation", "This host allows at most {n} MiB ({why}).").format(
                n=count(high), why=limits.memory_reason)
        return translate("Validation", "This host allows at most {n} MiB.").format(n=count(high))
    if mib % step:
        return translate("Validation", "Memory must be a multiple of {n} MiB on this host.").format(n=count(step))
    return None


_UNIT_SCALE = {"B": 1, "KIB": 1 << 10, "MIB": MiB, "GIB": 1 << 30, "TIB": 1 << 40}
_UNIT_NAME = {"B": "B", "KIB": "KiB", "MIB": "MiB", "GIB": "GiB", "TIB": "TiB"}


@dataclass(frozen=True)
class MemoryReading:
    """What a memory field's text was understood as: ``mib`` (whole MiB, None when the text is not an amount of
    memory or not a whole number of MiB), ``understood`` ("= 9,999 GiB (10,238,976 MiB)", empty when nothing was
    understood) and ``problem`` (one line that starts with what was understood, or None)."""

    text: str
    mib: int | None
    understood: str
    problem: str | None


def read_memory(text: str, limits: HostLimits | int | None) -> MemoryReading:
    """A memory field's text as typed: a number of MiB, or one with a unit (M, MB, MiB, G, GB, GiB, K, T; MB and GB
    are MiB and GiB, as in Hyper-V). Every digit counts; nothing is clamped or cut: what does not fit the host's
    ``limits`` is said, with what was understood."""
    limits = as_limits(limits)
    try:
        number, unit = split_size(text, "M")
    except ValueError:
        if not text.strip():
            problem = translate("Validation", "Type the startup memory, for example 512 MB or 4 GB.")
        else:
            problem = translate("Validation", "'{text}' is not an amount of memory: type a number of MiB, or one with "
                                              "a unit (512 MB, 4 GB, 2 GiB).").format(text=text.strip()[:40])
        return MemoryReading(text, None, "", problem)
    size = number * _UNIT_SCALE[unit]
    mib = size / MiB
    shown = f"{count(number)} {_UNIT_NAME[unit]}"
    understood = "= " + shown if unit == "MIB" else f"= {shown} ({count(mib)} MiB)"
    if unit == "MIB" and mib >= 1024 and mib % 1024 == 0:
        understood += f" ({count(mib / 1024)} GiB)"
    low, high, step = limits.memory_min // MiB, limits.memory_max // MiB, max(1, limits.memory_step // MiB)
    whole = int(mib) if mib == int(mib) else None
    if whole is None:
        problem = translate("Validation", "{amount}: memory is set in whole MiB.").format(amount=understood)
    elif mib < low:
        problem = translate("Validation", "{amount}: less than a virtual machine needs (at least {n} MiB).").format(
            amount=understood, n=count(low))
    elif mib > high:
        if limits.memory_reason:
            problem = translate("Validation", "{amount}: more than this host allows, at most {n} MiB ({why}).").format(
                amount=understood, n=count(high), why=limits.memory_reason)
        else:
            problem = translate("Validation", "{amount}: more than this host allows (at most {n} MiB).").format(
                amount=understood, n=count(high))
    elif mib % step:
        problem = translate("Validation", "{amount}: memory must be a multiple of {n} MiB on this host.").format(
            amount=understood, n=count(step))
    else:
        problem = None
    return MemoryReading(text, whole, understood, problem)


def vcpus_problem(vcpus: int, limits: HostLimits) -> str | None:
    if vcpus < 1:
        return translate("Validation", "A virtual machine needs at least one virtual processor.")
    if vcpus > limits.vcpus_max:
        if limits.vcpus_reason:
            return translate("Validation", "At most {n} virtual processors on this host ({why}).").format(
                n=limits.vcpus_max, why=limits.vcpus_reason)
        return translate("Validation", "At most {n} virtual processors on this host.").format(n=limits.vcpus_max)
    return None


def cmdline_problem(cmdline: str, name: str = "", workload: str = "idle",
                    limits: HostLimits | None = None) -> str | None:
    """The whole guest command line counts, with the workload and hostname words the host adds."""
    limit = (limits or HostLimits()).cmdline_max
    if _control(cmdline):
        return translate("Validation", "The guest command line must be one line without control characters.")
    if limit <= 0:
        return translate("Validation", "This host takes no guest command line.") if cmdline.strip() else None
    words = f"workload={workload} hostname={name.replace(' ', '-')} {cmdline}".strip()
    if len(words.encode()) > limit:
        return translate("Validation", "The guest command line is too long: with the workload and hostname the "
                                       "host adds it is {n} bytes; the limit is {limit}.").format(
            n=len(words.encode()), limit=limit)
    return None


def notes_problem(notes: str) -> str | None:
    if len(notes) > NOTES_MAX:
        return translate("Validation", "Notes can have at most {max} characters ({n} now).").format(
            max=NOTES_MAX, n=len(notes))
    if _control(notes, allow_newlines=True):
        return translate("Validation", "Notes cannot contain control characters.")
    return None


def image_problem(path: str) -> str | None:
    """Checked on a worker thread: the host service reads the image from this machine's files."""
    import os

    path = os.path.expanduser(path.strip())
    if not path:
        return translate("Validation", "Choose a guest image file.")
    try:
        with open(path, "rb") as f:
            magic = f.read(5)
    except IsADirectoryError:
        return translate("Validation", "{path} is a folder, not a guest image file.").format(path=path)
    except FileNotFoundError:
        return translate("Validation", "{path} does not exist.").format(path=path)
    except OSError as e:
        return translate("Validation", "Cannot read {path}: {why}.").format(path=path, why=e.strerror or e)
    if magic[:4] != b"\x7fELF":
        return translate("Validation", "{path} is not an ELF image.").format(path=path)
    if magic[4:5] != b"\x02":
        return translate("Validation", "{path} is a 32-bit ELF image; the guest must be ELF64.").format(path=path)
    return None


def _workloads() -> list[tuple[str, str, str | None]]:
    return [("idle", translate("Validation", "Idle"), None),
            ("cpu", translate("Validation", "Steady CPU load"), "%"),
            ("dirty", translate("Validation", "Memory dirtier"), "MiB/s"),
            ("bursty", translate("Validation", "Bursty CPU"), None)]


class _Workloads:
    """(kind, label, unit) of each workload profile of the bundled guest, labels in the user's language."""

    def __iter__(self):
        return iter(_workloads())


WORKLOADS = _Workloads()
WORKLOAD_LIMITS = {"cpu": (0, 100, 25), "dirty": (0, 10_000, 64)}


def workload_string(kind: str, n: int | None) -> str:
    return f"{kind}:{int(n or 0)}" if kind in WORKLOAD_LIMITS else kind


def parse_workload(workload: str) -> tuple[str, int | None]:
    kind, _, n = (workload or "idle").partition(":")
    return kind, int(n) if n.isdigit() else None


def ip_problem(text: str) -> str | None:
    """Empty means automatic; otherwise one IPv4 address (the service checks it is free and on the subnet)."""
    text = text.strip()
    if not text:
        return None
    import ipaddress

    try:
        ipaddress.IPv4Address(text)
    except ValueError:
        return translate("Validation", "'{text}' is not an IPv4 address (like 192.0.2.20); leave it empty for the "
                                       "next free one.").format(text=text)
    return None


def disk_problem(path: str) -> str | None:
    """Checked on a worker thread: the disk must be a file the host service can open."""
    import os

    path = os.path.expanduser(path.strip())
    if not path:
        return translate("Validation", "Choose the virtual hard disk file.")
    if os.path.isdir(path):
        return translate("Validation", "{path} is a folder, not a virtual hard disk.").format(path=path)
    if not os.path.exists(path):
        return translate("Validation", "{path} does not exist (make one with `bulkhead disk new {name} --size "
                                       "16G`).").format(path=path, name=os.path.basename(path))
    if not os.access(path, os.R_OK | os.W_OK):
        return translate("Validation", "{path} cannot be read and written by this user.").format(path=path)
    return None


VHD_MAX_BYTES = 2040 << 30  # what the VHD format holds
QEMU_IMG_FORMATS = tuple(c for c in SETTING["disk_format"].choices if c)  # a new disk in a libvirt VM's job


def new_disk_name_problem(name: str, kind: str = "dynamic") -> str | None:
    """The new disk's file name, checked as you type (no file access). A VHD ends in .vhd; a qcow2 or raw image
    (``kind`` qcow2 or raw, made by qemu-img for a libvirt host) may be named anything."""
    name = name.strip()
    vhd = kind not in QEMU_IMG_FORMATS
    if not name:
        return translate("Validation", "Name the new virtual hard disk file, for example web1.{ext}.").format(
            ext="vhd" if vhd else kind)
    if "/" in name or name in (".", ".."):
        return translate("Validation", "The name is a file name: choose its folder under Location.")
    if vhd and not name.lower().endswith(".vhd"):
        return translate("Validation", "A virtual hard disk file ends in .vhd.")
    if any(ord(c) < 32 for c in name):
        return translate("Validation", "The name cannot contain control characters.")
    return None


def pool_problem(pool: str) -> str | None:
    """A libvirt storage pool's name, checked as you type (the wizard checks it against the host's pools once they
    arrive; without them libvirt says whether it exists when it makes the VM)."""
    pool = pool.strip()
    if not pool:
        return translate("Validation", "Type the name of a storage pool on the host (virsh pool-list shows them), "
                                       "for example default.")
    if "/" in pool or _control(pool):
        return translate("Validation", "A storage pool's name has no '/' and no control characters.")
    return None


def new_disk_problem(folder: str, name: str, size: int, kind: str) -> dict:
    """Checked on a worker thread: where the new disk goes. {"problem": text or None, "mkdir": the folder is
    missing (the host's disk.new creates it)}. For a qcow2 or raw ``kind`` qemu-img makes the file on this machine:
    the folder must exist already and qemu-img must be installed."""
    import os
    import shutil

    def refused(problem: str) -> dict:
        return {"problem": problem, "mkdir": False}

    qemu_img = kind in QEMU_IMG_FORMATS
    problem = new_disk_name_problem(name, kind)
    if problem:
        return refused(problem)
    folder = os.path.expanduser(folder.strip())
    if not folder:
        return refused(translate("Validation", "Choose the folder for the new disk."))
    if not os.path.isabs(folder):
        if qemu_img:
            return refused(translate("Validation", "{folder} is not an absolute path (a libvirt domain names its "
                                                   "disks by full path).").format(folder=folder))
        return refused(translate("Validation", "{folder} is not an absolute path (the host resolves it, not this "
                                               "console).").format(folder=folder))
    if size > VHD_MAX_BYTES and not qemu_img:
        return refused(translate("Validation", "A VHD holds at most 2040 GiB."))
    mkdir = not os.path.exists(folder)
    if qemu_img and mkdir:
        return refused(translate("Validation", "The folder {folder} does not exist: create it first, or choose "
                                               "another.").format(folder=folder))
    existing = folder
    while not os.path.exists(existing):
        existing = os.path.dirname(existing)
    if not os.path.isdir(existing):
        return refused(translate("Validation", "{path} is a file, not a folder.").format(path=existing))
    if not os.access(existing, os.W_OK | os.X_OK):
        return refused(translate("Validation", "{path} cannot be written by this user.").format(path=existing))
    path = os.path.join(folder, name.strip())
    if os.path.exists(path):
        return refused(translate("Validation", "{path} already exists: a new disk never overwrites a file (choose "
                                               "another name, or use it as an existing disk).").format(path=path))
    if qemu_img and not shutil.which("qemu-img"):
        return refused(translate("Validation", "qemu-img is not installed on this machine (it makes the disk "
                                               "file): install it, or create the disk as a volume in a storage "
                                               "pool."))
    if kind == "fixed":
        free = shutil.disk_usage(existing).free
        if size > free:
            return {"problem": translate("Validation", "A fixed disk of this size needs {size} MiB; the host's "
                                                       "storage has {free} MiB free.").format(
                size=size >> 20, free=free >> 20), "mkdir": mkdir}
    return {"problem": None, "mkdir": mkdir}
