"""What the disk page says: the labels of the kinds and places of a new disk, the controllers as each kind of host
names them, the note under a new disk and the checks of a storage pool (translation context "NewVmDisk")."""

from __future__ import annotations

from gui import format as fmt
from gui import validation as val

from .common import translate

GIB_MAX_VHD = val.VHD_MAX_BYTES >> 30  # a VHD holds 2040 GiB
GIB_MAX_IMAGE = 16 * 1024  # the largest qcow2 or raw disk offered


def CHECKING_LOCATION() -> str:  # noqa: N802 - a message, compared as it is shown
    return translate("NewVmDisk", "Checking the location...")


def size_max_gib(kind: str) -> int:
    return GIB_MAX_IMAGE if kind in val.QEMU_IMG_FORMATS else GIB_MAX_VHD


def format_label(kind: str) -> str:
    return {
        "dynamic": translate("NewVmDisk", "Dynamically expanding (grows as the guest writes)"),
        "fixed": translate("NewVmDisk", "Fixed size (takes its full size now)"),
        "qcow2": translate("NewVmDisk", "qcow2 (grows as the guest writes)"),
        "raw": translate("NewVmDisk", "raw (a plain image as big as its size)"),
    }.get(kind, kind)


def place_label(place: str) -> str:
    if place == "volume":
        return translate("NewVmDisk", "A volume in a storage pool of the host")
    return translate("NewVmDisk", "A file on this machine, made by qemu-img")


def controller_labels(kind: str) -> tuple[tuple[str, str], tuple[str, str]]:
    """(label, short name) of the synthetic and the emulated controller as this kind of host names its buses (the
    choice is the same everywhere)."""
    if kind == "libvirt":
        return ((translate("NewVmDisk", "virtio (paravirtual, fast)"), "virtio"),
                (translate("NewVmDisk", "IDE (emulated, slow)"), "IDE"))
    return ((translate("NewVmDisk", "Synthetic SCSI over VMBus (fast)"), translate("NewVmDisk", "synthetic")),
            (translate("NewVmDisk", "Emulated IDE (every register access traps)"), translate("NewVmDisk", "emulated")))


def kind_short(kind: str) -> str:
    """A new disk's kind as the summary names it beside its size ("16 GiB dynamic")."""
    return {"dynamic": translate("NewVmDisk", "dynamic"), "fixed": translate("NewVmDisk", "fixed")}.get(kind, kind)


def pool_problem(d: dict, pools: dict[str, dict] | None, host: str) -> str | None:
    """What is wrong with a new volume in pool ``d["pool"]``, once the host's ``pools`` (by name) are known."""
    quick = val.pool_problem(d["pool"])
    if quick or pools is None:
        return quick
    pool = pools.get(d["pool"])
    if pool is None:
        names = ", ".join(sorted(pools)) or translate("NewVmDisk", "none")
        return translate("NewVmDisk", "{host} has no storage pool '{pool}' (it has: {names}).").format(
            host=host, pool=d["pool"], names=names)
    if not pool["active"]:
        return translate("NewVmDisk", "The storage pool '{pool}' is not active (virsh pool-start {pool}).").format(
            pool=d["pool"])
    if pool["available"] and d["size"] > pool["available"] and d["kind"] == "raw":
        return translate("NewVmDisk", "A raw volume takes its full size at once: {size} is more than the {free} "
                                      "free in '{pool}'.").format(size=fmt.size(d["size"]),
                                                                  free=fmt.size(pool["available"]), pool=d["pool"])
    return None


def new_disk_note(facts, d: dict, pools: dict[str, dict] | None) -> str:
    """What happens to the new disk ``d`` at Finish."""
    if facts.disk_job:
        if d["kind"] == "fixed":
            grows = translate("NewVmDisk", "fixed: all of it now")
        else:
            grows = translate("NewVmDisk", "dynamic: it grows as the guest writes")
        note = translate("NewVmDisk", "The host creates {path} ({size}, {grows}) as a job, then the virtual machine "
                                      "with it.").format(path=d["path"], size=fmt.size(d["size"]), grows=grows)
        if d["mkdir"]:
            note += " " + translate("NewVmDisk", "The folder {folder} is created first, by the host's job.").format(
                folder=d["folder"])
        return note
    what = f"{fmt.size(d['size'])}, {d['kind']}"
    if d["where"] == "volume":
        pool = (pools or {}).get(d["pool"])
        free = translate("NewVmDisk", ", {size} free").format(size=fmt.size(pool["available"])) \
            if pool and pool["available"] else ""
        return translate("NewVmDisk", "The job that creates the virtual machine first creates the volume {name} "
                                      "({what}) in the storage pool '{pool}' of {host}{free}.").format(
            name=d["name"], what=what, pool=d["pool"], host=facts.where, free=free)
    return translate("NewVmDisk", "The job that creates the virtual machine first runs qemu-img on this machine to "
                                  "create {path} ({what}).").format(path=d["path"], what=what)
