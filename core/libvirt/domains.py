"""Reading the host and its domains: host.info, the VM list and one VM as Bulkhead's VM dicts (from the domain
XML, libvirt's state and the latest metrics), finding a domain by name or UUID, networks and storage pools."""

from __future__ import annotations

import os
import re
import threading
import time
import xml.etree.ElementTree as ET
from typing import Any

from core import __version__
from core.hosts.registry import implements
from core.model.errors import NotFound, ServiceUnavailable, UsageError

from .domxml import DomainConfig
from .errors import MiB, libvirt_error, one_line, state_name


class Dom:
    """What the transport keeps of one domain between events."""

    def __init__(self, uuid: str, name: str) -> None:
        self.uuid = uuid
        self.name = name
        self.state = ""
        self.reason = ""
        self.started_at: float | None = None
        self.config: DomainConfig | None = None  # None: read the XML again
        self.persistent = True
        self.autostart = False
        self.stream = None
        self.console = bytearray()
        self.state_changed = threading.Condition()


class DomainsMixin:
    """Reads of a LibvirtTransport: the host, its domains, networks and pools."""

    @implements("host.info")
    def host_info(self) -> dict:
        status = self.status()
        f = self._facts
        info = f.get("info") or [None] * 8
        host = f.get("host") or {}
        states: dict[str, int] = {}
        for d in list(self._doms.values()):
            states[d.state] = states.get(d.state, 0) + 1

        def version(n):
            return f"{n // 1000000}.{n // 1000 % 1000}.{n % 1000}" if n else "?"

        if f:
            hv = f["driver"] + (f" {version(f['hv_version'])}" if f["driver"].upper() != "TEST" else "")
            desc = f"libvirt {version(f['libvirt_version'])}, {hv} on {f['hostname'] or self.uri} ({self.uri})"
        else:
            desc = f"libvirt {self.uri}"
        notice = "" if status["state"] == "connected" else (
            f"{self.uri} is {status['state']}" + (f": {status['reason']}" if status["reason"] else ""))
        kvm = "kvm" in f.get("domain_types", [])
        return {
            "version": __version__,
            "pid": os.getpid(),
            "started": self.started_at,
            "backend": "libvirt",
            "backend_description": desc,
            "notice": notice,
            "store": self.uri,
            "uri": self.uri,
            "hostname": f.get("hostname", ""),
            "status": status,
            "operations": self.capabilities(),
            "capabilities": {
                "logical_processors": info[2], "memory_bytes": info[1] * MiB if info[1] else None,
                "cpu_model": host.get("cpu_model") or info[0], "cpu_mhz": info[3], "numa_nodes": info[4],
                "sockets": info[5], "cores": info[6], "threads": info[7], "arch": f.get("arch"),
                "hypervisor": f.get("driver"), "domain_types": f.get("domain_types", []),
                "kvm_usable": kvm, "kvm_problem": "" if kvm or not f else "this libvirt host offers no kvm domains",
                "kvm_module": None, "kvm_api_version": None, "kvm_extensions": {},
            },
            "vms": len(self._doms),
            "vm_states": states,
        }

    @implements("vm.list")
    def list_vms(self, brief: bool = False) -> list[dict]:
        conn = self._connection()
        lv = self._lv
        try:
            stats = conn.getAllDomainStats(lv.VIR_DOMAIN_STATS_STATE, 0)
        except lv.libvirtError as e:
            if self._call_lost(e):
                raise ServiceUnavailable(f"{self.uri}: {one_line(e.get_error_message())}") from None
            raise
        out = []
        for dom, values in stats:
            uid = dom.UUIDString()
            d = self._known(uid, dom.name())
            vm = self._vm_dict(dom, d, state=(values.get("state.state"), values.get("state.reason")))
            if brief:
                counters = vm.pop("counters", None)
                vm.pop("kvp_guest", None)
                vm["activity"] = (sum((counters.get("exits") or {}).values()) + sum(counters.get("vcpu_cpu_ns") or [0])
                                  if counters else None)
            out.append(vm)
        return sorted(out, key=lambda v: (v["name"].lower(), v["id"]))

    @implements("vm.show")
    def get_vm(self, vm: str) -> dict:
        d, dom = self._find(vm)
        return self._vm_dict(dom, d, detail=True)

    def _vm_dict_safe(self, dom) -> dict:
        uid = dom.UUIDString()
        d = self._doms.get(uid) or Dom(uid, dom.name())
        try:
            return self._vm_dict(dom, d)
        except self._lv.libvirtError:
            return {"id": uid, "name": d.name, "state": d.state or "Off", "reason": d.reason}

    def _vm_dict(self, dom, d: Dom, state: tuple | None = None, detail: bool = False) -> dict:
        lv = self._lv
        c = d.config  # events may drop it meanwhile (set to None): keep this one
        if c is None:
            c = d.config = DomainConfig.parse(dom.XMLDesc(0))
            try:
                d.autostart = bool(dom.autostart())
                d.persistent = bool(dom.isPersistent())
            except lv.libvirtError:
                pass
        if state is not None and state[0] is not None:
            saved = False
            if state[0] == lv.VIR_DOMAIN_SHUTOFF:
                saved = bool(dom.hasManagedSaveImage(0))
            name, reason = state_name(lv, state[0], state[1], saved)
        else:
            name, reason = self._live_state(dom)
        if not d.state:
            d.state, d.reason = name, reason
        if not reason and d.state == name:
            reason = d.reason  # the event said why (migrated in, restored ...)
        disk = c.main_disk or {}
        nic = c.interfaces[0] if c.interfaces else {}
        active = name in ("Running", "Paused", "Stopping", "Saving", "Critical")
        latest = self.metrics.latest(d.uuid) if active else None
        health, health_reason = ("Critical", reason or "the guest crashed") if name == "Critical" else ("OK", "")
        alerts = [a["message"] for a in self.alerts.active_for(d.uuid)]
        if alerts and health == "OK":
            health, health_reason = "Degraded", "; ".join(dict.fromkeys(alerts))
        out = {
            "id": d.uuid, "name": c.name or d.name, "state": name, "folder": "",
            "memory": c.memory, "vcpus": c.vcpus, "image": c.iso, "workload": "", "cmdline": c.cmdline,
            "notes": c.description, "automatic_start_action": "always_start" if d.autostart else "nothing",
            "automatic_stop_action": "", "created": 0.0,
            "uptime": round(time.time() - d.started_at, 3) if active and d.started_at else 0.0,
            "reason": reason if name in ("Critical", "Paused", "Off", "Stopping") else "",
            "counters": None, "disk": disk.get("source", ""), "disk_controller": disk.get("bus", ""),
            "disk_format": disk.get("format", ""),
            "network": nic.get("source", ""), "ip": "", "integration_services": c.guest_agent, "kvp": {},
            "kvp_guest": {}, "heartbeat": None, "device_failures": {}, "health": health,
            "health_reason": health_reason, "cpu_percent": latest.get("cpu_percent") if latest else None,
            # libvirt's own view, beyond Bulkhead's VM model
            "uri": self.uri, "domain_type": c.type, "persistent": d.persistent, "max_memory": c.max_memory,
            "disks": c.disks, "interfaces": c.interfaces, "serial_console": c.serial,
            "managed_save": name == "Saved",
        }
        if detail and active:
            try:
                stats = self._conn.domainListGetStats(
                    [dom], lv.VIR_DOMAIN_STATS_CPU_TOTAL | lv.VIR_DOMAIN_STATS_VCPU | lv.VIR_DOMAIN_STATS_BALLOON, 0)
                s = stats[0][1] if stats else {}
            except lv.libvirtError:
                s = {}
            n = int(s.get("vcpu.current", 0) or 0)
            out["counters"] = {"backend": f"libvirt {c.type}", "cpu_ns": s.get("cpu.time", 0),
                               "vcpu_cpu_ns": [s.get(f"vcpu.{i}.time", 0) for i in range(n)],
                               "resident_bytes": s.get("balloon.rss", 0) * 1024, "exits": {}}
        return out

    def _find(self, ref: str) -> tuple[Dom, Any]:
        if not isinstance(ref, str) or not ref:
            raise UsageError("name a VM")
        conn = self._connection()
        lv = self._lv
        dom = None
        try:
            if re.fullmatch(r"[0-9a-fA-F-]{32,36}", ref):
                try:
                    dom = conn.lookupByUUIDString(ref)
                except lv.libvirtError as e:
                    if e.get_error_code() != lv.VIR_ERR_NO_DOMAIN:
                        raise
            if dom is None:
                dom = conn.lookupByName(ref)
        except lv.libvirtError as e:
            if e.get_error_code() == lv.VIR_ERR_NO_DOMAIN:
                raise NotFound(f"no VM named '{ref}' on {self.uri}") from None
            if self._call_lost(e):
                raise ServiceUnavailable(f"{self.uri}: {one_line(e.get_error_message())}") from None
            raise libvirt_error(e, f"VM '{ref}'") from None
        d = self._known(dom.UUIDString(), dom.name())
        if not d.state:
            d.state, d.reason = self._live_state(dom)
        return d, dom


    @implements("switch.list")
    def list_switches(self) -> list[dict]:
        """libvirt networks, shown where the embedded host shows its virtual switches."""
        conn = self._connection()
        out = []
        try:
            nets = conn.listAllNetworks(0)
        except self._lv.libvirtError:
            return []
        users: dict[str, list[str]] = {}
        for d in list(self._doms.values()):
            for nic in (d.config.interfaces if d.config else []):
                users.setdefault(nic["source"], []).append(d.name)
        for net in nets:
            try:
                active = bool(net.isActive())
            except self._lv.libvirtError:
                active = False
            out.append({"name": net.name(), "type": "libvirt network", "active": active, "ports": [],
                        "mac_table": {}, "vms": sorted(users.get(net.name(), [])), "subnet": ""})
        return sorted(out, key=lambda n: n["name"].lower())

    @implements("pool.list")
    def list_pools(self) -> list[dict]:
        """The host's storage pools (where vm.new's disk_size makes a volume): name, active, capacity, available
        bytes and the folder or device they keep volumes in."""
        conn = self._connection()
        lv = self._lv
        try:
            pools = conn.listAllStoragePools(0)
        except lv.libvirtError as e:
            raise libvirt_error(e, f"list the storage pools of {self.uri}") from None
        out = []
        for pool in pools:
            try:
                _state, capacity, allocation, available = pool.info()
                active = bool(pool.isActive())
                path = ET.fromstring(pool.XMLDesc(0)).findtext("target/path") or ""
            except lv.libvirtError:
                continue  # undefined while we looked
            out.append({"name": pool.name(), "active": active, "capacity": capacity, "allocation": allocation,
                        "available": available, "path": path})
        return sorted(out, key=lambda p: p["name"].lower())

