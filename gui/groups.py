"""Host groups, SCVMM style: "All Hosts" at the root, groups nested under it, each host in exactly one group.

Groups are a client-side idea for now, so they live in a small JSON file in the user's config folder (platformdirs;
``BULKHEAD_CONFIG_DIR`` overrides it), written atomically by ``core.model.files`` (temp file, fsync, rename, fsync of
the folder). No widgets here: the console's tree is a view of this; the messages are translated.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from core.model.files import write_json_atomic
from gui.i18n import QT_TRANSLATE_NOOP, translate

FORMAT = 1
ROOT = ""  # the "All Hosts" group's id
ROOT_NAME = QT_TRANSLATE_NOOP("HostGroups", "All Hosts")
NAME_MAX = 64
FILE_NAME = "host-groups.json"


class GroupError(ValueError):
    """A request on groups that cannot be done; the message says why, in one line."""


def _t(text: str) -> str:
    return translate("HostGroups", text)


def root_name() -> str:
    """The root group's name in the console's language."""
    return _t(ROOT_NAME)


def config_dir() -> Path:
    override = os.environ.get("BULKHEAD_CONFIG_DIR")
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("bulkhead", appauthor=False))


def default_path() -> Path:
    return config_dir() / FILE_NAME


@dataclass
class Group:
    id: str
    name: str
    parent: str = ROOT


@dataclass
class HostGroups:
    groups: dict[str, Group] = field(default_factory=dict)
    hosts: dict[str, str] = field(default_factory=dict)  # host key -> group id ("" = All Hosts)

    # --- reading -----------------------------------------------------------------------------------------------
    def children(self, parent: str = ROOT) -> list[Group]:
        return sorted((g for g in self.groups.values() if g.parent == parent), key=lambda g: g.name.lower())

    def hosts_in(self, group: str) -> list[str]:
        return sorted(h for h, g in self.hosts.items() if g == group)

    def group_of(self, host: str) -> str:
        group = self.hosts.get(host, ROOT)
        return group if group in self.groups else ROOT

    def path(self, group: str) -> list[str]:
        """Names from All Hosts down to ``group``."""
        names = []
        while group != ROOT and group in self.groups:
            names.append(self.groups[group].name)
            group = self.groups[group].parent
        return [root_name(), *reversed(names)]

    # --- changing ----------------------------------------------------------------------------------------------
    def create(self, name: str, parent: str = ROOT) -> Group:
        self._check_group(parent)
        name = self._check_name(name, parent)
        group = Group(uuid.uuid4().hex, name, parent)
        self.groups[group.id] = group
        return group

    def rename(self, group: str, name: str) -> None:
        g = self._existing(group)
        g.name = self._check_name(name, g.parent, exclude=group)

    def move(self, group: str, parent: str) -> None:
        g = self._existing(group)
        self._check_group(parent)
        ancestor = parent
        while ancestor != ROOT:
            if ancestor == group:
                raise GroupError(translate("HostGroups", "cannot move group '{name}' into itself or one of its "
                                                         "subgroups").format(name=g.name))
            ancestor = self.groups[ancestor].parent
        self._check_name(g.name, parent, exclude=group)
        g.parent = parent

    def delete(self, group: str) -> None:
        """Remove a group; its subgroups and hosts move up to its parent."""
        g = self._existing(group)
        for child in self.children(group):
            child.parent = g.parent
        for host, where in list(self.hosts.items()):
            if where == group:
                self.hosts[host] = g.parent
        del self.groups[group]

    def assign(self, host: str, group: str) -> None:
        self._check_group(group)
        if not host:
            raise GroupError(translate("HostGroups", "a host needs a name"))
        self.hosts[host] = group

    # --- checks ------------------------------------------------------------------------------------------------
    def _existing(self, group: str) -> Group:
        if group == ROOT:
            raise GroupError(translate("HostGroups", "'{name}' cannot be renamed, moved or deleted").format(
                name=root_name()))
        g = self.groups.get(group)
        if g is None:
            raise GroupError(translate("HostGroups", "that group no longer exists"))
        return g

    def _check_group(self, group: str) -> None:
        if group != ROOT and group not in self.groups:
            raise GroupError(translate("HostGroups", "that group no longer exists"))

    def _check_name(self, name: str, parent: str, exclude: str | None = None) -> str:
        if not isinstance(name, str) or not name.strip():
            raise GroupError(translate("HostGroups", "a group name cannot be empty"))
        name = name.strip()
        if len(name) > NAME_MAX:
            raise GroupError(translate("HostGroups", "a group name can have at most {count} characters").format(
                count=NAME_MAX))
        if any(ord(c) < 32 or ord(c) == 127 for c in name):
            raise GroupError(translate("HostGroups", "a group name cannot contain control characters"))
        if name.lower() in (ROOT_NAME.lower(), root_name().lower()) and parent == ROOT:
            raise GroupError(translate("HostGroups", "'{name}' is the root's name").format(name=root_name()))
        for other in self.children(parent):
            if other.id != exclude and other.name.lower() == name.lower():
                raise GroupError(translate("HostGroups", "there is already a group named '{name}' here").format(
                    name=other.name))
        return name

    # --- (de)serialising ---------------------------------------------------------------------------------------
    def to_dict(self) -> dict:
        return {"format": FORMAT,
                "groups": [{"id": g.id, "name": g.name, "parent": g.parent} for g in self.groups.values()],
                "hosts": dict(self.hosts)}

    @classmethod
    def from_dict(cls, data: dict) -> HostGroups:
        """Build from untrusted JSON: anything malformed is dropped, cycles and dangling parents go to the root."""
        out = cls()
        if not isinstance(data, dict):
            return out
        for item in data.get("groups") or []:
            if not isinstance(item, dict):
                continue
            gid, name, parent = item.get("id"), item.get("name"), item.get("parent", ROOT)
            if isinstance(gid, str) and gid and isinstance(name, str) and name.strip() and isinstance(parent, str):
                out.groups[gid] = Group(gid, name.strip()[:NAME_MAX], parent)
        for g in out.groups.values():
            if g.parent != ROOT and g.parent not in out.groups:
                g.parent = ROOT
        for g in out.groups.values():  # break cycles
            seen, p = {g.id}, g.parent
            while p != ROOT:
                if p in seen:
                    g.parent = ROOT
                    break
                seen.add(p)
                p = out.groups[p].parent
        hosts = data.get("hosts") or {}
        if isinstance(hosts, dict):
            for host, group in hosts.items():
                if isinstance(host, str) and isinstance(group, str):
                    out.hosts[host] = group if group in out.groups else ROOT
        return out


def load(path: Path | None = None) -> tuple[HostGroups, str | None]:
    """The groups in ``path`` and a warning if the file could not be used (it is then left as it is)."""
    path = path or default_path()
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return HostGroups(), None
    except OSError as e:
        return HostGroups(), translate("HostGroups", "cannot read host groups from {path}: {error}").format(path=path,
                                                                                      error=e.strerror or e)
    try:
        return HostGroups.from_dict(json.loads(raw)), None
    except ValueError as e:
        return HostGroups(), translate("HostGroups", "host groups file {path} is damaged ({error}); starting with "
                                                     "none").format(path=path, error=e)


def save(data: dict, path: Path | None = None) -> None:
    """Write a ``HostGroups.to_dict()`` snapshot atomically."""
    path = path or default_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    write_json_atomic(path, data)
