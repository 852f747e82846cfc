"""`bulkhead vm checkpoint|checkpoints|apply|revert|checkpoint-rename|checkpoint-remove` against a host service,
and View Script's rendering of the checkpoint methods (a rendered command runs)."""

from __future__ import annotations

import json

from core.api import render


def test_checkpoints_through_the_command_line(cli):
    cli("vm", "new", "cp1", "--memory", "32M", check=True)
    r = cli("vm", "checkpoint", "cp1", "--name", "before", check=True)
    assert "Create checkpoint: 'before' of VM 'cp1' (configuration and disk" in r.stdout
    cli("vm", "set", "cp1", "--memory", "64M", check=True)
    cli("vm", "checkpoint", "cp1", "--name", "after", check=True)
    tree = cli.json("vm", "checkpoints", "cp1")
    names = {c["name"]: c for c in tree["checkpoints"]}
    assert set(names) == {"before", "after"} and tree["now"] == names["after"]["id"]
    assert names["after"]["parent"] == names["before"]["id"] and names["before"]["memory"] is False
    text = cli("vm", "checkpoints", "cp1", check=True).stdout.splitlines()
    assert text[0].startswith("before  (") and text[1].startswith("  after  (") and text[2] == "    Now", text

    r = cli("vm", "apply", "cp1", "before", check=True)
    assert "Apply checkpoint: VM 'cp1' is at 'before' and Off" in r.stdout
    assert cli.json("vm", "show", "cp1")["memory"] == 32 << 20
    cli("vm", "checkpoint-rename", "cp1", "after", "later", check=True)
    cli("vm", "set", "cp1", "--memory", "128M", check=True)
    cli("vm", "revert", "cp1", check=True)
    assert cli.json("vm", "show", "cp1")["memory"] == 32 << 20
    text = cli("vm", "checkpoints", "cp1", check=True).stdout.splitlines()
    assert text[1].startswith("  later  (") and text[2] == "  Now", text  # Now hangs under "before"

    r = cli("vm", "checkpoint-remove", "cp1", "before", "--subtree", check=True)
    assert "2 checkpoints of VM 'cp1' deleted" in r.stdout
    assert "has no checkpoints" in cli("vm", "checkpoints", "cp1", check=True).stdout

    # refusals are one line: an unknown checkpoint, an ambiguous name, nothing to revert to
    r = cli("vm", "apply", "cp1", "nope")
    assert r.returncode == 2 and "no checkpoint 'nope'" in r.stderr and "Traceback" not in r.stderr
    cli("vm", "checkpoint", "cp1", "--name", "twin", check=True)
    cli("vm", "checkpoint", "cp1", "--name", "twin", check=True)
    r = cli("vm", "apply", "cp1", "twin")
    assert r.returncode == 2 and "are named 'twin'" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    cli("vm", "checkpoint-remove", "cp1", json.loads(cli("vm", "checkpoints", "cp1", "--json").stdout)["now"],
        check=True)
    cli("vm", "remove", "cp1", check=True)
    assert cli.json("vm", "list") == []


def test_view_script_renders_each_checkpoint_method_and_its_command_runs(cli):
    cli("vm", "new", "cp2", "--memory", "32M", check=True)
    for method, params, line in (
            ("vm.checkpoint.new", {"vm": "cp2", "name": "s 1"}, "bulkhead vm checkpoint cp2 --name 's 1'"),
            ("vm.checkpoint.list", {"vm": "cp2"}, "bulkhead vm checkpoints cp2"),
            ("vm.checkpoint.rename", {"vm": "cp2", "checkpoint": "s 1", "name": "s2"},
             "bulkhead vm checkpoint-rename cp2 's 1' s2"),
            ("vm.checkpoint.apply", {"vm": "cp2", "checkpoint": "s2"}, "bulkhead vm apply cp2 s2"),
            ("vm.checkpoint.revert", {"vm": "cp2"}, "bulkhead vm revert cp2"),
            ("vm.checkpoint.remove", {"vm": "cp2", "checkpoint": "s2", "subtree": True},
             "bulkhead vm checkpoint-remove cp2 s2 --subtree")):
        script = render(method, params)
        assert script.command_line == line, script.command_line
        assert "conn." in script.python and script.title
        import shlex

        cli(*shlex.split(line)[1:], check=True)
    assert cli.json("vm", "checkpoints", "cp2")["checkpoints"] == []
