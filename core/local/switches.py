"""Virtual switches of the embedded engine: kept in switches.json, created and removed as jobs."""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from pathlib import Path

from core.hosts.registry import implements
from core.model.errors import NotFound, OperationFailed, StateError, UsageError
from core.model.files import write_json_atomic
from core.model.names import same_name, validate_name

from .store import ConfigError

log = logging.getLogger(__name__)


class SwitchMethods:
    @property
    def _switch_file(self) -> Path:
        return self.paths.data / "switches.json"

    def _load_switches(self) -> None:
        from core.engine.vswitch import VirtualSwitch

        try:
            data = json.loads(self._switch_file.read_text())
            for item in data.get("switches", []):
                name = validate_name(item["name"], "a switch name")
                self.switches[name] = VirtualSwitch(name, item.get("type", "private"))
        except FileNotFoundError:
            pass
        except (ValueError, KeyError, TypeError, AttributeError, UsageError) as e:
            log.error("%s is damaged (%s); no virtual switches loaded, the file is left as it is",
                      self._switch_file, e)

    def _save_switches_or(self, undo) -> None:
        """Write switches.json after a change to ``self.switches``; should that fail, ``undo()`` the change."""
        try:
            write_json_atomic(self._switch_file, {"switches": [{"name": sw.name, "type": sw.kind}
                                                               for sw in self.switches.values()]})
        except OSError as e:
            undo()
            raise OperationFailed(f"cannot save the virtual switches: {e}") from None

    @implements("switch.list")
    def list_switches(self) -> list[dict]:
        out = []
        for sw in self.switches.values():
            d = sw.snapshot()
            d["vms"] = sorted(r.name for r in self.vms.values() if r.config and r.config.network == sw.name)
            d["subnet"] = str(sw.subnet)
            out.append(d)
        return sorted(out, key=lambda d: d["name"].lower())

    @implements("switch.new")
    def new_switch(self, name: str, type: str = "private") -> dict:
        """Create a virtual switch as a job (its result: the switch as switch.list shows it)."""
        from core.engine.vswitch import SWITCH_TYPES, VirtualSwitch

        name = validate_name(name, "a switch name")
        if type not in SWITCH_TYPES:
            raise UsageError(f"unknown switch type '{type}' (choose {', '.join(SWITCH_TYPES)})")
        self._no_switch_named(name)

        def run(ctx):
            with self._lock:
                self._no_switch_named(name)  # another job may have made it since
                self.switches[name] = VirtualSwitch(name, type)
                self._save_switches_or(lambda: self.switches.pop(name))
            self._emit("switch.added", {"name": name, "type": type})
            return next(d for d in self.list_switches() if d["name"] == name)

        return self.submit_job("New virtual switch", name, run)

    def _no_switch_named(self, name: str) -> None:
        if any(same_name(n, name) for n in self.switches):
            raise UsageError(f"a virtual switch named '{name}' already exists")

    def _switch_users(self, name: str) -> None:
        if name not in self.switches:
            raise NotFound(f"no virtual switch named '{name}'")
        users = sorted(r.name for r in self.vms.values() if r.config and r.config.network == name)
        if users:
            raise StateError(f"virtual switch '{name}' is used by {', '.join(users)}: disconnect them first")

    @implements("switch.remove")
    def remove_switch(self, name: str) -> dict:
        """Delete a virtual switch no VM uses, as a job."""
        self._switch_users(name)

        def run(ctx):
            with self._lock:
                self._switch_users(name)  # a VM may have been connected to it since
                sw = self.switches.pop(name)
                self._save_switches_or(lambda: self.switches.__setitem__(name, sw))
            self._emit("switch.removed", {"name": name})
            return {"name": name}

        return self.submit_job("Remove virtual switch", name, run)

    @implements("switch.rename")
    def rename_switch(self, name: str, new_name: str) -> dict:
        """Rename a virtual switch, as a job. The VMs connected to it keep their connection: their stored
        configuration names the new switch name (running ones stay on the same switch)."""
        new_name = validate_name(new_name, "a switch name")
        self._renamable(name, new_name)

        def run(ctx):
            with self._lock:
                self._renamable(name, new_name)  # another job may have taken the name since
                sw = self.switches[name]
                users = [r for r in self.vms.values() if r.config and r.config.network == name]
                renamed = {(new_name if k == name else k): v for k, v in self.switches.items()}

                def undo() -> None:
                    self.switches.clear()
                    self.switches.update({(name if k == new_name else k): v for k, v in renamed.items()})
                    sw.name = name

                self.switches.clear()
                self.switches.update(renamed)
                sw.name = new_name
                self._save_switches_or(undo)
                moved = []
                try:
                    for record in users:
                        self._save_config(record, replace(record.config, network=new_name))
                        moved.append(record)
                except (OSError, ConfigError) as e:
                    for record in moved:
                        try:
                            self._save_config(record, replace(record.config, network=name))
                        except (OSError, ConfigError):
                            log.exception("cannot put back VM %s's switch name", record.name)
                    undo()
                    self._save_switches_or(lambda: None)
                    raise OperationFailed(f"cannot rename virtual switch '{name}': saving the VMs' settings "
                                          f"failed: {getattr(e, 'strerror', None) or e}") from None
            self._emit("switch.renamed", {"name": name, "new_name": new_name})
            for record in users:
                self._emit("vm.changed", self._vm_dict(record))
            return next(d for d in self.list_switches() if d["name"] == new_name)

        return self.submit_job("Rename virtual switch", name, run)

    def _renamable(self, name: str, new_name: str) -> None:
        if name not in self.switches:
            raise NotFound(f"no virtual switch named '{name}'")
        if new_name == name:
            raise UsageError(f"virtual switch '{name}' already has that name")
        taken = next((n for n in self.switches if n != name and same_name(n, new_name)), None)
        if taken is not None:
            raise UsageError(f"a virtual switch named '{taken}' already exists")

    def _pick_ip(self, network: str, vm_id: str) -> str:
        sw = self.switches[network]
        taken = {r.config.ip for r in self.vms.values() if r.config and r.config.network == network and r.id != vm_id}
        for host in range(10, 250):
            ip = str(sw.subnet.network_address + host)
            if ip not in taken:
                return ip
        raise UsageError(f"virtual switch '{network}' has no free addresses")
