"""`bulkhead checkpoint new|list|apply|revert|rename|remove` and the same commands under `vm` (`vm checkpoint|
checkpoints|apply|revert|checkpoint-rename|checkpoint-remove`) against a host service, and View Script's rendering
of the checkpoint methods (as `bulkhead checkpoint ...`; a rendered command runs)."""

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
            ("vm.checkpoint.new", {"vm": "cp2", "name": "s 1"}, "bulkhead checkpoint new cp2 's 1'"),
            ("vm.checkpoint.list", {"vm": "cp2"}, "bulkhead checkpoint list cp2"),
            ("vm.checkpoint.rename", {"vm": "cp2", "checkpoint": "s 1", "name": "s2"},
             "bulkhead checkpoint rename cp2 's 1' s2"),
            ("vm.checkpoint.apply", {"vm": "cp2", "checkpoint": "s2"}, "bulkhead checkpoint apply cp2 s2"),
            ("vm.checkpoint.revert", {"vm": "cp2"}, "bulkhead checkpoint revert cp2"),
            ("vm.checkpoint.remove", {"vm": "cp2", "checkpoint": "s2", "subtree": True},
             "bulkhead checkpoint remove cp2 s2 --subtree")):
        script = render(method, params)
        assert script.command_line == line, script.command_line
        assert "conn." in script.python and script.title
        import shlex

        cli(*shlex.split(line)[1:], check=True)
    assert cli.json("vm", "checkpoints", "cp2")["checkpoints"] == []


def test_the_checkpoint_noun_does_what_the_vm_verbs_do(cli):
    cli("vm", "new", "cp3", "--memory", "32M", check=True)
    r = cli("checkpoint", "new", "cp3", "before", check=True)
    assert "Create checkpoint: 'before' of VM 'cp3' (configuration and disk" in r.stdout
    cli("vm", "set", "cp3", "--memory", "64M", check=True)
    cli("checkpoint", "new", "cp3", "after", check=True)
    tree = cli.json("checkpoint", "list", "cp3")
    assert tree == cli.json("vm", "checkpoints", "cp3")
    names = {c["name"]: c for c in tree["checkpoints"]}
    assert names["after"]["parent"] == names["before"]["id"] and tree["now"] == names["after"]["id"]
    text = cli("checkpoint", "list", "cp3", "--tree", check=True).stdout.splitlines()
    assert text == cli("vm", "checkpoints", "cp3", check=True).stdout.splitlines()
    assert text[0].startswith("before  (") and text[1].startswith("  after  (") and text[2] == "    Now", text
    rows = cli("checkpoint", "list", "cp3", check=True).stdout.splitlines()  # flat: oldest first, * at Now
    assert rows[0].split() == ["NOW", "NAME", "CREATED", "KIND", "PARENT", "ID"], rows
    assert rows[1].split()[0] == "before" and rows[1].split()[-2:] == ["-", names["before"]["id"][:8]], rows
    assert rows[2].split()[:2] == ["*", "after"] and rows[2].split()[-2:] == ["before", names["after"]["id"][:8]]
    assert len(rows) == 3

    r = cli("checkpoint", "apply", "cp3", "before", check=True)
    assert "Apply checkpoint: VM 'cp3' is at 'before' and Off" in r.stdout
    assert cli.json("vm", "show", "cp3")["memory"] == 32 << 20
    r = cli("checkpoint", "rename", "cp3", "after", "later", check=True)
    assert "Rename checkpoint: VM 'cp3''s checkpoint is named 'later'" in r.stdout
    cli("vm", "set", "cp3", "--memory", "128M", check=True)
    r = cli("checkpoint", "revert", "cp3", check=True)
    assert "Revert VM: VM 'cp3' is at 'before'" in r.stdout and cli.json("vm", "show", "cp3")["memory"] == 32 << 20
    job = cli.json("checkpoint", "new", "cp3", "third", "--no-wait")  # the job options as under vm
    assert job["name"] == "Create checkpoint" and cli("job", "wait", str(job["id"])).returncode == 0
    r = cli("checkpoint", "remove", "cp3", "third", check=True)
    assert "1 checkpoint of VM 'cp3' deleted" in r.stdout
    r = cli("checkpoint", "remove", "cp3", "before", "--subtree", check=True)
    assert "2 checkpoints of VM 'cp3' deleted" in r.stdout
    assert "has no checkpoints" in cli("checkpoint", "list", "cp3", "--tree", check=True).stdout
    assert "has no checkpoints" in cli("checkpoint", "list", "cp3", check=True).stdout

    # bad input: exit 2, one line, no traceback
    for words, said in ((("checkpoint", "apply", "cp3", "nope"), "no checkpoint 'nope'"),
                        (("checkpoint", "apply", "cp3"), "required"),
                        (("checkpoint", "list", "cp3", "--tree", "--json"), "not allowed with"),
                        (("checkpoint", "rename", "cp3", "a"), "required"),
                        (("checkpoint", "frobnicate", "cp3"), "invalid choice"),
                        (("checkpoint", "new", "cp3", "a", "b"), "unrecognized arguments"),
                        (("checkpoint", "list", "nosuchvm"), "nosuchvm")):
        r = cli(*words)
        assert r.returncode == 2, (words, r.returncode, r.stderr)
        assert said in r.stderr and len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr, words
    assert cli("checkpoint").returncode == 2  # the noun alone: its help


def test_import_takes_copy_with_a_folder_and_the_older_forms(monkeypatch, tmp_path):
    import argparse

    import pytest

    from core.cli.export_import import import_mode
    from core.cli.parser import build
    from core.model.errors import UsageError

    def parsed(*words):
        return import_mode(build(["vm", *words]).parse_args(["vm", *words]))

    assert parsed("import", "/e/web") == ("/e/web", "copy", None)
    assert parsed("import", "/e/web", "--copy") == ("/e/web", "copy", None)
    assert parsed("import", "--copy", "/e/web") == ("/e/web", "copy", None)  # the flag first, as before
    assert parsed("import", "/e/web", "--copy", "/srv/vms") == ("/e/web", "copy", "/srv/vms")
    assert parsed("import", "/e/web", "--copy", "/srv/vms", "--new-id") == ("/e/web", "new_id", "/srv/vms")
    assert parsed("import", "/e/web", "--new-id") == ("/e/web", "new_id", None)
    assert parsed("import", "/e/web", "--register") == ("/e/web", "register", None)
    for words in (("import", "/e/web", "--register", "--new-id"), ("import", "/e/web", "--register", "--copy"),
                  ("import",)):
        with pytest.raises(UsageError):
            parsed(*words)
    assert isinstance(build(["vm"]), argparse.ArgumentParser)


def test_import_copy_into_a_folder_the_host_does_not_take_is_one_line(cli, tmp_path):
    cli("vm", "new", "ex1", "--memory", "32M", check=True)
    (tmp_path / "out").mkdir()
    cli("vm", "export", "ex1", str(tmp_path / "out"), check=True)
    cli("vm", "remove", "ex1", check=True)
    r = cli("vm", "import", str(tmp_path / "out" / "ex1"), "--copy", str(tmp_path / "vms"))
    if r.returncode == 0:  # a host that takes the folder: the copy is there
        assert (tmp_path / "vms").is_dir() and any((tmp_path / "vms").rglob("*"))
    else:
        assert r.returncode == 2 and "--copy" in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    r = cli("vm", "import", "--copy", str(tmp_path / "out" / "ex1"), "--new-id", "--name", "ex2", check=True)
    assert "Import VM: VM 'ex2'" in r.stdout
