"""Checkpoints, the same on every kind of host that offers them (docs/checkpoints.md): the tree with "now",
take, rename, apply, revert, delete and delete subtree, by id or name; a host that does not offer them refuses
with its reason."""

from __future__ import annotations

import pytest

from core.model.errors import BulkheadError

from .conftest import raises, refused


def _tree(conn, vm: str) -> tuple[dict, str | None]:
    tree = conn.checkpoints(vm)
    return {c["name"]: c for c in tree["checkpoints"]}, tree["now"]


def test_the_checkpoint_tree_take_apply_revert_rename_delete(host):
    conn = host.conn
    vm = host.new_vm("ckpt")
    reason = refused(conn.capabilities(), "checkpoints")
    if reason:
        e = raises(BulkheadError, lambda: conn.checkpoints(vm), f"{host.kind}: vm.checkpoint.list")
        assert reason in str(e) and "unknown method" not in str(e)
        pytest.skip(f"{host.kind}: {reason}")
    host.run(conn.checkpoint(vm, "first"))
    host.run(conn.checkpoint(vm, "second"))
    items, now = _tree(conn, vm)
    assert set(items) == {"first", "second"}, items
    assert now == items["second"]["id"] and items["second"]["parent"] == items["first"]["id"]
    assert items["first"]["children"] == [items["second"]["id"]]
    assert all(isinstance(c["memory"], bool) and c["created"] > 0 for c in items.values())

    host.run(conn.apply_checkpoint(vm, "first"))
    assert _tree(conn, vm)[1] == items["first"]["id"]
    host.run(conn.checkpoint(vm, "branch"))  # a new branch under "first"
    items, now = _tree(conn, vm)
    assert items["branch"]["parent"] == items["first"]["id"] and now == items["branch"]["id"]
    assert sorted(items["first"]["children"]) == sorted([items["second"]["id"], items["branch"]["id"]])
    host.run(conn.revert_checkpoint(vm))
    assert _tree(conn, vm)[1] == items["branch"]["id"]

    host.run(conn.rename_checkpoint(vm, items["second"]["id"], "renamed"))
    items, _ = _tree(conn, vm)
    assert "renamed" in items and "second" not in items
    host.run(conn.remove_checkpoint(vm, "renamed"))
    host.run(conn.remove_checkpoint(vm, "first", subtree=True))
    assert _tree(conn, vm) == ({}, None)
    with pytest.raises(BulkheadError):
        conn.apply_checkpoint(vm, "first")
