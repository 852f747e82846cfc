"""Checks the wizard and settings make as the user types (Qt-free).

They say early what the host service would refuse; the service still checks everything and its message is shown
if it refuses anyway (core.api offers no validation helpers of its own yet).
"""

from __future__ import annotations

import unicodedata

NAME_MAX = 64
MIN_MEMORY_MIB = 4
MAX_MEMORY_MIB = 64 * 1024
MAX_VCPUS = 64
CMDLINE_MAX = 255  # the whole guest command line, including the workload and hostname words the service adds
NOTES_MAX = 10_000


def _control(text: str, allow_newlines: bool = False) -> str | None:
    for ch in text:
        if allow_newlines and ch in "\n\t":
            continue
        if unicodedata.category(ch) in ("Cc", "Zl", "Zp"):
            return ch
    return None


def name_problem(name: str, existing: list[str] = (), current: str | None = None) -> str | None:
    name = name.strip()
    if not name:
        return "Type a name for the virtual machine."
    if len(name) > NAME_MAX:
        return f"A name can have at most {NAME_MAX} characters ({len(name)} now)."
    if _control(name):
        return "A name cannot contain control characters."
    if "/" in name or "\\" in name:
        return "A name cannot contain '/' or '\\'."
    if name.startswith("."):
        return "A name cannot start with '.'."
    if ".." in name:
        return "A name cannot contain '..'."
    for other in existing:
        if other.lower() == name.lower() and (current is None or other.lower() != current.lower()):
            return f"There is already a virtual machine named '{other}' on this host."
    return None


def memory_limit_mib(host_memory_bytes: int | None) -> int:
    host = (host_memory_bytes or 0) >> 20
    limit = min(MAX_MEMORY_MIB, host) if host else MAX_MEMORY_MIB
    return max(MIN_MEMORY_MIB, limit - limit % 2)


def memory_problem(mib: int, host_memory_bytes: int | None) -> str | None:
    limit = memory_limit_mib(host_memory_bytes)
    if mib < MIN_MEMORY_MIB:
        return f"A virtual machine needs at least {MIN_MEMORY_MIB} MiB."
    if mib > limit:
        return f"This host allows at most {limit} MiB."
    if mib % 2:
        return "Memory must be a multiple of 2 MiB (the guest is mapped with 2 MiB pages)."
    return None


def vcpu_limit(logical_processors: int | None) -> int:
    return max(1, min(MAX_VCPUS, logical_processors or MAX_VCPUS))


def cmdline_problem(cmdline: str, name: str = "", workload: str = "idle") -> str | None:
    if _control(cmdline):
        return "The guest command line must be one line without control characters."
    words = f"workload={workload} hostname={name.replace(' ', '-')} {cmdline}".strip()
    if len(words.encode()) > CMDLINE_MAX:
        return (f"The guest command line is too long: with the workload and hostname the host adds it is "
                f"{len(words.encode())} bytes; the limit is {CMDLINE_MAX}.")
    return None


def notes_problem(notes: str) -> str | None:
    if len(notes) > NOTES_MAX:
        return f"Notes can have at most {NOTES_MAX} characters ({len(notes)} now)."
    if _control(notes, allow_newlines=True):
        return "Notes cannot contain control characters."
    return None


def image_problem(path: str) -> str | None:
    """Checked on a worker thread: the host service reads the image from this machine's files."""
    import os

    path = os.path.expanduser(path.strip())
    if not path:
        return "Choose a guest image file."
    try:
        with open(path, "rb") as f:
            magic = f.read(5)
    except IsADirectoryError:
        return f"{path} is a folder, not a guest image file."
    except FileNotFoundError:
        return f"{path} does not exist."
    except OSError as e:
        return f"Cannot read {path}: {e.strerror or e}."
    if magic[:4] != b"\x7fELF":
        return f"{path} is not an ELF image."
    if magic[4:5] != b"\x02":
        return f"{path} is a 32-bit ELF image; the guest must be ELF64."
    return None


WORKLOADS = [("idle", "Idle", None), ("cpu", "Steady CPU load", "%"), ("dirty", "Memory dirtier", "MiB/s"),
             ("bursty", "Bursty CPU", None)]
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
        return f"'{text}' is not an IPv4 address (like 192.0.2.20); leave it empty for the next free one."
    return None


def disk_problem(path: str) -> str | None:
    """Checked on a worker thread: the disk must be a file the host service can open."""
    import os

    path = os.path.expanduser(path.strip())
    if not path:
        return "Choose the virtual hard disk file."
    if os.path.isdir(path):
        return f"{path} is a folder, not a virtual hard disk."
    if not os.path.exists(path):
        return f"{path} does not exist (make one with `bulkhead disk new {os.path.basename(path)} --size 16G`)."
    if not os.access(path, os.R_OK | os.W_OK):
        return f"{path} cannot be read and written by this user."
    return None


VHD_MAX_BYTES = 2040 << 30


QEMU_IMG_FORMATS = ("qcow2", "raw")  # a libvirt host's new disks (the others are the VHD kinds)


def new_disk_name_problem(name: str, kind: str = "dynamic") -> str | None:
    """The new disk's file name, checked as you type (no file access). A VHD ends in .vhd; a qcow2 or raw image
    (``kind`` qcow2 or raw, made by qemu-img for a libvirt host) may be named anything."""
    name = name.strip()
    vhd = kind not in QEMU_IMG_FORMATS
    if not name:
        return f"Name the new virtual hard disk file, for example web1.{'vhd' if vhd else kind}."
    if "/" in name or name in (".", ".."):
        return "The name is a file name: choose its folder under Location."
    if vhd and not name.lower().endswith(".vhd"):
        return "A virtual hard disk file ends in .vhd."
    if any(ord(c) < 32 for c in name):
        return "The name cannot contain control characters."
    return None


def pool_problem(pool: str) -> str | None:
    """A libvirt storage pool's name, checked as you type (the wizard checks it against the host's pools once they
    arrive; without them libvirt says whether it exists when it makes the VM)."""
    pool = pool.strip()
    if not pool:
        return "Type the name of a storage pool on the host (virsh pool-list shows them), for example default."
    if "/" in pool or _control(pool):
        return "A storage pool's name has no '/' and no control characters."
    return None


def new_disk_problem(folder: str, name: str, size: int, kind: str) -> dict:
    """Checked on a worker thread: where the new disk goes. {"problem": text or None, "mkdir": the folder is
    missing and will be created}. For a qcow2 or raw ``kind`` qemu-img makes the file on this machine: the folder
    must exist already and qemu-img must be installed."""
    import os
    import shutil

    qemu_img = kind in QEMU_IMG_FORMATS
    problem = new_disk_name_problem(name, kind)
    if problem:
        return {"problem": problem, "mkdir": False}
    folder = os.path.expanduser(folder.strip())
    if not folder:
        return {"problem": "Choose the folder for the new disk.", "mkdir": False}
    if not os.path.isabs(folder):
        why = ("a libvirt domain names its disks by full path" if qemu_img
               else "the host service resolves it, not this console")
        return {"problem": f"{folder} is not an absolute path ({why}).", "mkdir": False}
    if size > VHD_MAX_BYTES and not qemu_img:
        return {"problem": "A VHD holds at most 2040 GiB.", "mkdir": False}
    mkdir = not os.path.exists(folder)
    if qemu_img and mkdir:
        return {"problem": f"The folder {folder} does not exist: create it first, or choose another.",
                "mkdir": False}
    existing = folder
    while not os.path.exists(existing):
        existing = os.path.dirname(existing)
    if not os.path.isdir(existing):
        return {"problem": f"{existing} is a file, not a folder.", "mkdir": False}
    if not os.access(existing, os.W_OK | os.X_OK):
        return {"problem": f"{existing} cannot be written by this user.", "mkdir": False}
    path = os.path.join(folder, name.strip())
    if os.path.exists(path):
        return {"problem": f"{path} already exists: a new disk never overwrites a file (choose another name, or "
                           "use it as an existing disk).", "mkdir": False}
    if qemu_img and not shutil.which("qemu-img"):
        return {"problem": "qemu-img is not installed on this machine (it makes the disk file): install it, or "
                           "create the disk as a volume in a storage pool.", "mkdir": False}
    if kind == "fixed":
        free = shutil.disk_usage(existing).free
        if size > free:
            return {"problem": f"A fixed disk of this size needs {size >> 20} MiB; the host's storage has "
                               f"{free >> 20} MiB free.", "mkdir": mkdir}
    return {"problem": None, "mkdir": mkdir}
