"""Removal says honestly what it kept: a VM whose folder holds files Bulkhead did not make is not removed (the
refusal names them, exit code 2 on the command line), and it is still listed afterwards."""

from __future__ import annotations

import pytest

from core import api
from core.model.errors import StateError


def test_a_vm_folder_with_foreign_files_is_refused_and_stays_listed(tmp_path):
    with api.connect(str(tmp_path / "home"), embedded=True) as conn:
        conn.new_vm("keep", memory="32M").wait(check=True)
        folder = tmp_path / "home" / "vms" / conn.vm("keep").id
        (folder / "notes-of-mine.txt").write_text("mine")
        with pytest.raises(StateError, match=r"cannot remove VM 'keep' whole: .*notes-of-mine\.txt"):
            conn.remove_vm("keep")
        assert [vm.name for vm in conn.vms()] == ["keep"]
        assert conn.vm("keep").state == "Off"  # not a "Configuration error": vm.json is still there
        (folder / "notes-of-mine.txt").unlink()
        conn.remove_vm("keep").wait(check=True)
        assert conn.vms() == []
        assert not folder.exists()
