"""Making and changing domains: vm.new (a domain from Bulkhead's settings, with a new disk as a storage volume or
a qemu-img file when asked), vm.set (the persistent definition), disk.new (a disk file or volume on its own)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import uuid as uuidlib
import xml.etree.ElementTree as ET

from core.hosts.registry import implements, require
from core.model.errors import OperationFailed, StateError, UsageError
from core.model.names import same_name, validate_name
from core.model.spec import START_ACTIONS, VmChanges

from .domxml import BUSES, new_domain_xml, volume_xml
from .errors import MiB, one_line

# what vm.set changes on a libvirt domain; name, memory and vcpus only while it is Off
SETTABLE = ("name", "memory", "vcpus", "notes", "automatic_start_action")
FROZEN = ("name", "memory", "vcpus")
# disk.new: the format of a new disk comes from its file name
DISK_FORMATS = {".qcow2": "qcow2", ".img": "raw", ".raw": "raw", ".vhd": "vpc"}
DISK_KINDS = ("dynamic", "fixed", "raw")
# vm.new's iso= (a CD image to boot from) as LibvirtTransport.call takes it while core/model/spec.py does not
# declare it: set around the registry's dispatch, read by new_vm


class ProvisioningMixin:
    """vm.new, vm.set and disk.new of a LibvirtTransport."""

    @implements("vm.set")
    def set_vm(self, vm: str, **changes) -> dict:
        """Change a domain's persistent definition: name, memory and vcpus (while it is off), notes and the
        automatic start action (at any time)."""
        changes = {k: v for k, v in changes.items() if v is not None}
        unknown = set(changes) - set(SETTABLE)
        if unknown:
            raise UsageError(f"'{sorted(unknown)[0]}' cannot be changed on a libvirt connection (settings: "
                             f"{', '.join(sorted(SETTABLE))})")
        d, dom = self._find(vm)
        frozen = {k for k in changes if k in FROZEN}
        if frozen and d.state not in ("Off",):
            raise StateError(f"cannot change {', '.join(sorted(frozen))} of VM '{d.name}' while it is {d.state}: "
                             "turn it off first")
        changes = VmChanges(changes).validate("libvirt").values
        if "memory" in changes:  # vCPUs past the host's are libvirt's to refuse (past the domain type's maximum)
            self.limits().check_memory(changes["memory"])
        if changes.get("name") == d.name:
            del changes["name"]
        elif "name" in changes:
            self._check_new_name(changes["name"], own=d.uuid)
        lv = self._lv

        def run(ctx):
            self._changing.add(d.uuid)  # libvirt's events about each step are not told: the outcome is, once
            try:
                change(ctx)
            finally:
                self._changing.discard(d.uuid)
            result = self._result(d, dom)
            self._tell_dict("vm.changed", result)
            return result

        def change(ctx):
            if "memory" in changes:
                kib = changes["memory"] // 1024
                dom.setMemoryFlags(kib, lv.VIR_DOMAIN_AFFECT_CONFIG | lv.VIR_DOMAIN_MEM_MAXIMUM)
                dom.setMemoryFlags(kib, lv.VIR_DOMAIN_AFFECT_CONFIG)
            if "vcpus" in changes:
                dom.setVcpusFlags(changes["vcpus"], lv.VIR_DOMAIN_AFFECT_CONFIG | lv.VIR_DOMAIN_VCPU_MAXIMUM)
                dom.setVcpusFlags(changes["vcpus"], lv.VIR_DOMAIN_AFFECT_CONFIG)
            if "notes" in changes:
                dom.setMetadata(lv.VIR_DOMAIN_METADATA_DESCRIPTION, str(changes["notes"]), None, None,
                                lv.VIR_DOMAIN_AFFECT_CONFIG)
            if "automatic_start_action" in changes:
                dom.setAutostart(1 if changes["automatic_start_action"] == "always_start" else 0)
            if "name" in changes:
                dom.rename(changes["name"], 0)
                d.name = self._names[d.uuid] = changes["name"]

        return self._job("Change VM settings", d, run)

    def _check_new_name(self, name, own: str | None = None) -> str:
        """The name as stored (core.model.names.validate_name), or UsageError if it is no VM name or another
        domain of this host has it (names that differ only in case or width are one name)."""
        name = validate_name(name)
        for dom in self._connection().listAllDomains(0):
            existing = dom.name()
            if dom.UUIDString() != own and same_name(existing, name):
                same = "" if existing == name else " (names that differ only in case or width are one name)"
                raise UsageError(f"a VM named '{existing}' already exists on {self.uri}{same}")
        return name

    @implements("vm.new")
    def new_vm(self, name: str, memory: int = 64 * MiB, vcpus: int = 1, image: str = "", workload: str = "idle",
               cmdline: str = "", notes: str = "", automatic_start_action: str = "start_if_running",
               automatic_stop_action: str = "save", disk: str = "", disk_controller: str = "synthetic",
               network: str = "", ip: str = "", integration_services: bool = True, start: bool = False,
               disk_size: int = 0, disk_format: str = "", pool: str = "", iso: str = "", boot: str = "",
               disk_readonly: bool = False, domain_type: str = "", arch: str = "") -> dict:
        """Define a domain from Bulkhead's settings. ``disk``: an existing disk image, or with ``disk_size`` a new
        one (a storage volume in ``pool``, default "default", when ``disk`` is empty; qemu-img at ``disk`` on this
        machine otherwise; ``disk_format`` qcow2, the default, or raw). ``iso`` (or an ``image`` ending in .iso)
        boots from a CD; ``boot`` is hd, cdrom or network. ``network``: a libvirt network name or bridge:NAME.
        Every VM gets a serial console."""
        conn = self._connection()
        lv = self._lv
        name = self._check_new_name(name)
        limits = self.limits()
        limits.check_memory(memory)
        limits.check_vcpus(vcpus)
        disk_format = disk_format or "qcow2"
        if image:
            if image.lower().endswith(".iso") and not iso:
                iso = image
            else:
                raise UsageError("a libvirt VM boots what its disk or ISO holds: give iso= (or an image ending in "
                                 ".iso) or a disk; ELF images are for the embedded engine")
        if workload not in ("", "idle") or cmdline:
            raise UsageError("workload profiles and a command line are for the bundled guest of the embedded engine; "
                             "a libvirt VM runs what it boots")
        if ip:
            raise UsageError("on a libvirt connection the guest's address comes from its libvirt network")
        if automatic_start_action not in START_ACTIONS:
            raise UsageError(f"automatic_start_action: choose {', '.join(START_ACTIONS)}")
        bus = BUSES.get(disk_controller)
        if bus is None:
            raise UsageError(f"unknown disk controller '{disk_controller}' (choose {', '.join(BUSES)})")
        if boot not in ("", "hd", "cdrom", "network"):
            raise UsageError("boot must be hd, cdrom or network")
        if disk_format not in ("qcow2", "raw"):
            raise UsageError("disk_format must be qcow2 or raw")
        if not isinstance(disk_size, int) or disk_size < 0:
            raise UsageError("disk_size must be a number of bytes")
        test = str(self._facts.get("driver", "")).upper() == "TEST"
        local = self._is_local()
        new_disk = ""
        if disk and disk_size:
            if not local:
                raise UsageError("qemu-img makes new disks on this machine only; on a remote host leave disk empty "
                                 "to make a storage volume")
            if os.path.exists(disk):
                raise UsageError(f"{disk} already exists (leave disk_size out to attach it)")
            if not os.path.isdir(os.path.dirname(os.path.abspath(disk))):
                raise UsageError(f"the folder of {disk} does not exist")
            new_disk = "qemu-img"
        elif disk_size:
            pool_name = pool or "default"
            try:
                conn.storagePoolLookupByName(pool_name)
            except lv.libvirtError:
                raise UsageError(f"no storage pool '{pool_name}' on {self.uri} (define one with virsh pool-define-as, "
                                 "or give disk=PATH with disk_size to make the file with qemu-img)") from None
            new_disk = "volume"
        elif disk and local and not test and not os.path.exists(disk):
            raise UsageError(f"{disk}: no such disk image (add disk_size to create it)")
        for path, what in ((iso, "ISO"),):
            if path and local and not test and not os.path.exists(path):
                raise UsageError(f"{path}: no such {what} file")
        if network:
            if network.startswith("bridge:"):
                if len(network) == 7:
                    raise UsageError("bridge: needs the host bridge's name, e.g. bridge:br0")
            else:
                try:
                    conn.networkLookupByName(network)
                except lv.libvirtError:
                    raise UsageError(f"no libvirt network named '{network}' on {self.uri} (virsh net-list --all)") \
                        from None
        arch = arch or self._facts.get("arch") or "x86_64"
        types = self._facts.get("domain_types") or []
        if domain_type:
            if types and domain_type not in types:
                raise UsageError(f"{self.uri} offers no '{domain_type}' domains for {arch} (it offers "
                                 f"{', '.join(types)})")
        else:
            domain_type = "kvm" if "kvm" in types else (types[0] if types else "qemu")
        new_id = str(uuidlib.uuid4())
        self._names[new_id] = name

        def run(ctx):
            made = ""
            path = disk
            if new_disk == "volume":
                ctx.progress(10, "creating the disk volume")
                p = conn.storagePoolLookupByName(pool or "default")
                vol = p.createXML(volume_xml(f"{name}.{disk_format}", disk_size, disk_format), 0)
                path = made = vol.path()
            elif new_disk == "qemu-img":
                ctx.progress(10, "creating the disk with qemu-img")
                r = subprocess.run(["qemu-img", "create", "-q", "-f", disk_format, disk, str(disk_size)],
                                   capture_output=True, text=True, timeout=120)
                if r.returncode != 0:
                    raise OperationFailed(f"qemu-img: {one_line(r.stderr or r.stdout)}")
                made = disk
            fmt = disk_format if new_disk else self._disk_format(disk)
            xml = new_domain_xml(name=name, uuid=new_id, memory=memory, vcpus=vcpus, domain_type=domain_type,
                                 arch=arch, disk=path, disk_format=fmt, bus=bus, disk_readonly=disk_readonly,
                                 iso=iso, boot=boot, network=network, notes=notes,
                                 guest_agent=bool(integration_services) and domain_type in ("kvm", "qemu"))
            ctx.progress(40, "defining the domain")
            try:
                dom = conn.defineXML(xml)
            except lv.libvirtError:
                if made:
                    self._delete_disk(made)
                raise
            # the DEFINED event registers the VM and says vm.added; do it here should the event be late
            deadline = time.monotonic() + 2.0
            while new_id not in self._doms and time.monotonic() < deadline:
                time.sleep(0.01)
            if new_id not in self._doms:
                d = self._known(new_id, name)
                d.state = "Off"
                self._tell("vm.added", dom)
            d = self._doms[new_id]
            if automatic_start_action == "always_start":
                dom.setAutostart(1)
            if start:
                ctx.progress(70, "starting")
                dom.create()
                self._await_state(d, ("Running", "Paused"), dom)
            return self._result(d, dom)

        return self.submit_job("New VM", new_id, run, target_name=name)

    def _disk_format(self, path: str) -> str:
        """An existing disk's format: qemu-img's answer on this machine, else the file name's extension."""
        if self._is_local() and os.path.isfile(path) and shutil.which("qemu-img"):
            try:
                r = subprocess.run(["qemu-img", "info", "-U", "--output=json", path], capture_output=True,
                                   text=True, timeout=30)
                if r.returncode == 0:
                    fmt = json.loads(r.stdout).get("format", "")
                    if fmt in ("raw", "qcow2", "vmdk", "vpc", "vdi", "vhdx", "qed"):
                        return fmt
            except (OSError, ValueError, subprocess.TimeoutExpired):
                pass
        return "qcow2" if path.endswith(".qcow2") else "raw"

    # --- disk.new ----------------------------------------------------------------------------------------------
    @implements("disk.new")
    def new_disk(self, path: str, size: int, kind: str = "dynamic") -> dict:
        """A new virtual hard disk at ``path``, as a job; never overwrites. Only where the host is this machine
        (``refusal("new_disk")`` says why elsewhere). Its format comes from the file name (.qcow2, .img or .raw,
        .vhd); ``kind`` dynamic (grows as written), fixed (all of it allocated now) or raw. In the folder of one of
        the host's storage pools it becomes a volume of that pool; elsewhere qemu-img makes the file (and its
        folder)."""
        if kind not in DISK_KINDS:
            raise UsageError(f"unknown disk type '{kind}' (choose {', '.join(DISK_KINDS)})")
        if not os.path.isabs(path):
            raise UsageError(f"{path}: give the new disk's full path on {self.uri} (paths are the host's)")
        path = os.path.normpath(path)
        folder, file_name = os.path.split(path)
        fmt = DISK_FORMATS.get(os.path.splitext(file_name)[1].lower())
        if fmt is None:
            raise UsageError(f"{file_name}: a new disk on a libvirt host is named .qcow2 (qcow2), .img or .raw "
                             "(raw) or .vhd (VHD): its format comes from the file name")
        if kind == "raw" and fmt != "raw":
            raise UsageError(f"{file_name}: a raw disk's name ends in .img or .raw")
        if size % 512:
            raise UsageError(f"the disk size must be a multiple of 512 bytes (got {size})")
        require(self, "new_disk")  # a host on another machine: its disks are storage volumes made with the VM
        conn = self._connection()
        lv = self._lv
        pool = self._pool_in(conn, folder)
        exists = os.path.lexists(path)
        if pool is not None and not exists:
            try:
                pool.storageVolLookupByName(file_name)
                exists = True
            except lv.libvirtError:
                pass
        if exists:
            raise UsageError(f"{path} already exists (a new disk never overwrites a file)")
        result = {"path": path, "format": fmt, "size": size, "kind": kind, "pool": pool.name() if pool else ""}

        def as_volume(ctx):
            ctx.progress(10, f"creating {file_name} in storage pool {pool.name()}")
            xml = volume_xml(file_name, size, fmt, allocation=size if kind == "fixed" else None)
            try:
                vol = pool.createXML(xml, 0)
            except lv.libvirtError as e:
                raise OperationFailed(f"cannot create {path}: {one_line(e.get_error_message() or e)}") from None
            return result | {"path": vol.path()}

        def with_qemu_img(ctx):
            ctx.progress(10, f"creating {file_name} with qemu-img")
            made_folder = not os.path.isdir(folder)
            try:
                os.makedirs(folder, exist_ok=True)
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))  # ours, or refused
            except OSError as e:
                raise OperationFailed(f"cannot create {path}: {e.strerror or e}") from None
            options = []
            if fmt == "vpc":  # force_size: the size asked for, not rounded to a CHS geometry
                options = ["-o", f"subformat={'fixed' if kind == 'fixed' else 'dynamic'},force_size=on"]
            elif kind == "fixed":
                options = ["-o", "preallocation=full"]
            try:
                r = subprocess.run(["qemu-img", "create", "-q", "-f", fmt, *options, path, str(size)],
                                   capture_output=True, text=True, timeout=600)
                failed = one_line(r.stderr or r.stdout) if r.returncode else ""
            except (OSError, subprocess.TimeoutExpired) as e:
                failed = one_line(str(e))
            if failed:
                for undo in (lambda: os.unlink(path), lambda: made_folder and os.rmdir(folder)):
                    try:
                        undo()
                    except OSError:
                        pass
                raise OperationFailed(f"qemu-img could not create {path}: {failed}")
            return result

        return self.submit_job("New virtual hard disk", path, as_volume if pool is not None else with_qemu_img,
                               target_name=file_name)

    def _pool_in(self, conn, folder: str):
        """The active storage pool whose folder is ``folder``, or None."""
        lv = self._lv
        try:
            pools = conn.listAllStoragePools(lv.VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE)
        except lv.libvirtError:
            return None
        for pool in pools:
            try:
                where = ET.fromstring(pool.XMLDesc(0)).findtext("target/path") or ""
            except (lv.libvirtError, ET.ParseError):
                continue
            if where and os.path.normpath(where) == folder:
                return pool
        return None
