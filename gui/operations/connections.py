"""The saved libvirt connections and the host groups: files of this console's user, read and written in a worker
(the same list as ``bulkhead host list``). These run without a host connection."""

from __future__ import annotations

from pathlib import Path

from gui import groups as host_groups
from gui import libvirt_hosts
from gui.i18n import translate
from gui.operations import Op, Reporter
from gui.tasks import Tasks


def saved(tasks: Tasks, home: str | None, owner=None, report: Reporter | None = None) -> Op:
    """[{"uri", "name", "group", "added"}]"""
    return Op(tasks, libvirt_hosts.saved, home, title=translate("ConnectionOperations",
                                                                "Saved libvirt connections unavailable"),
              owner=owner, report=report)


def add(tasks: Tasks, uri: str, name: str, home: str | None, owner=None, report: Reporter | None = None) -> Op:
    return Op(tasks, libvirt_hosts.add, uri, name, "", home,
              title=translate("ConnectionOperations", "Connection not added"), target=uri, owner=owner,
              report=report)


def remove(tasks: Tasks, uri: str, home: str | None, owner=None, report: Reporter | None = None) -> Op:
    return Op(tasks, libvirt_hosts.remove, uri, home,
              title=translate("ConnectionOperations", "Connection not removed"), owner=owner, report=report)


def load_groups(tasks: Tasks, path: Path, owner=None, report: Reporter | None = None) -> Op:
    """(HostGroups, warning or None)"""
    return Op(tasks, host_groups.load, path, title=translate("ConnectionOperations", "Host groups not read"),
              owner=owner, report=report)


def save_groups(tasks: Tasks, data: dict, path: Path, owner=None, report: Reporter | None = None) -> Op:
    """Write a HostGroups.to_dict() snapshot; the latest one wins when saves come quickly."""
    return Op(tasks, host_groups.save, data, path, title=translate("ConnectionOperations", "Host groups not saved"),
              owner=owner, key="groups", report=report)
