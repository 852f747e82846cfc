"""The engine checks the one operations table of core.model: turning off a Saved VM discards its saved state."""

import pytest

from core.engine import PartitionConfig, TransitionError, VmState
from core.model import states as model

from .conftest import MiB


def test_the_engine_uses_the_model_table():
    import core.engine

    assert core.engine.VmState is model.VmState and core.engine.TransitionError is model.TransitionError
    with pytest.raises(ImportError):
        import core.engine.states  # noqa: F401  (replaced by core.model.states)


def test_turning_off_a_saved_vm_discards_its_saved_state(boot, tmp_path):
    p, _ = boot("saved")
    path = tmp_path / "saved.vmstate"
    p.save(path)
    assert p.state is VmState.SAVED and path.exists()
    seen = []
    p.on_state.append(lambda _p, old, new, _r: seen.append((old, new)))
    p.turn_off()
    assert p.state is VmState.OFF and not path.exists() and p.saved_state_path is None
    assert seen == [(VmState.SAVED, VmState.OFF)]
    p.start()  # boots fresh
    assert p.state is VmState.RUNNING
    p.turn_off()


def test_turn_off_is_still_refused_where_the_table_refuses_it(hypervisor, guest_image):
    off = hypervisor.create_partition(PartitionConfig("still-off", 64 * MiB, str(guest_image)))
    with pytest.raises(TransitionError, match=r"cannot turn off VM 'still-off': it is Off \(turn off needs .*Saved"):
        off.turn_off()
    assert off.state is VmState.OFF
