"""The prediction of a move before it starts (core/hosts/prediction.py): the pre-copy model against cases computed
by hand and against its closed form, the writable-working-set floor, the cases that do not converge, quick and
storage moves, and figures that are refused (bandwidth 0, NaN, infinity, negative, not numbers)."""

from __future__ import annotations

import math

import pytest

from core.hosts.prediction import NOT_CONVERGING, predict_live, predict_quick, predict_storage
from core.model.errors import UsageError

MiB = 1 << 20


def test_a_guest_dirtying_half_the_link_converges_in_the_rounds_computed_by_hand():
    # V = 1024 MiB, R = 100 MiB/s, D = 50 MiB/s (lambda 0.5), limit 50 ms: threshold 5 MiB
    # rounds send 1024, 512, 256, 128, 64, 32, 16, 8; then 4 MiB <= 5 MiB is sent with the guest stopped
    p = predict_live(1024 * MiB, 50 * MiB, 100 * MiB, 0.05, resume_s=0.0)
    assert p["converges"] is True and p["reason"] == ""
    assert p["rounds"] == 8
    assert [r["sent_bytes"] // MiB for r in p["per_round"]] == [1024, 512, 256, 128, 64, 32, 16, 8]
    assert p["stop_copy_bytes"] == 4 * MiB
    assert p["data_bytes"] == 2044 * MiB  # 1024 * (1 - 0.5^9) / (1 - 0.5)
    assert p["downtime_s"] == pytest.approx(0.04)
    assert p["total_s"] == pytest.approx(20.44)
    assert p["threshold_bytes"] == 5 * MiB and p["dirty_ratio"] == 0.5
    first = p["per_round"][0]
    assert first == {"round": 0, "sent_bytes": 1024 * MiB, "pages": 1024 * MiB // 4096, "seconds": 10.24,
                     "remaining_bytes": 512 * MiB, "dirty_rate": 50 * MiB, "bandwidth": 100 * MiB,
                     "expected_downtime_s": 5.12}


def test_the_resume_time_is_part_of_the_downtime_and_of_the_total():
    a = predict_live(1024 * MiB, 50 * MiB, 100 * MiB, 0.05, resume_s=0.0)
    b = predict_live(1024 * MiB, 50 * MiB, 100 * MiB, 0.05, resume_s=0.01)
    assert b["downtime_s"] == pytest.approx(a["downtime_s"] + 0.01)
    assert b["total_s"] == pytest.approx(a["total_s"] + 0.01)


@pytest.mark.parametrize("size_mib, dirty_mib, link_mib, limit", [
    (256, 10, 100, 0.05), (4096, 90, 125, 0.3), (512, 1, 11, 0.02), (8192, 60, 1000, 0.001), (300, 33, 97, 0.1)])
def test_rounds_data_and_downtime_follow_the_closed_form(size_mib, dirty_mib, link_mib, limit):
    """n = ceil(log(R T / V) / log lambda), data V (1 - lambda^(n+1)) / (1 - lambda), downtime V lambda^n / R."""
    v, d, r = size_mib * MiB, dirty_mib * MiB, link_mib * MiB
    lam = d / r
    p = predict_live(v, d, r, limit, page_size=1, resume_s=0.0)
    n = math.ceil(math.log(r * limit / v) / math.log(lam))
    assert p["rounds"] == n
    assert p["data_bytes"] == pytest.approx(v * (1 - lam ** (n + 1)) / (1 - lam), rel=1e-6)
    assert p["downtime_s"] == pytest.approx(v * lam ** n / r, rel=1e-5, abs=1e-6)
    assert p["total_s"] == pytest.approx(p["data_bytes"] / r, rel=1e-6)
    assert p["converges"]


def test_an_idle_guest_takes_one_round_and_no_stop_and_copy():
    p = predict_live(100 * MiB, 0, 100 * MiB, 0.05, resume_s=0.002)
    assert p["rounds"] == 1 and p["stop_copy_bytes"] == 0 and p["converges"]
    assert p["data_bytes"] == 100 * MiB
    assert p["downtime_s"] == pytest.approx(0.002)
    assert p["total_s"] == pytest.approx(1.002)


def test_a_vm_with_no_memory_resident_sends_nothing():
    p = predict_live(0, 10 * MiB, 100 * MiB, 0.05, resume_s=0.0)
    assert p["rounds"] == 0 and p["data_bytes"] == 0 and p["total_s"] == 0 and p["converges"]


def test_memory_is_counted_in_whole_pages():
    p = predict_live(4097, 0, 100 * MiB, 0.05)
    assert p["per_round"][0]["sent_bytes"] == 8192 and p["per_round"][0]["pages"] == 2


@pytest.mark.parametrize("dirty_mib", [100, 150, 1000])
def test_a_guest_dirtying_as_fast_as_the_link_will_not_converge_without_throttling(dirty_mib):
    p = predict_live(1024 * MiB, dirty_mib * MiB, 100 * MiB, 0.05, resume_s=0.0)
    assert p["converges"] is False
    assert p["reason"] == NOT_CONVERGING == "will not converge without throttling"
    assert "auto-converge" in p["hint"] and "\n" not in p["hint"]
    # another round would only send the whole memory again: it switches over after round 0, all of it still dirty
    assert p["rounds"] == 1 and p["stop_copy_bytes"] == 1024 * MiB
    assert p["downtime_s"] == pytest.approx(10.24)
    assert p["data_bytes"] == 2048 * MiB


def test_the_writable_working_set_puts_a_floor_under_the_downtime():
    # lambda 0.25, W 64 MiB > threshold 5 MiB: 1024 -> 256 -> 64 -> 64 (no smaller): it stops there
    p = predict_live(1024 * MiB, 25 * MiB, 100 * MiB, 0.05, wws_bytes=64 * MiB, resume_s=0.0)
    assert [r["sent_bytes"] // MiB for r in p["per_round"]] == [1024, 256, 64]
    assert p["stop_copy_bytes"] == 64 * MiB
    assert p["downtime_s"] == pytest.approx(0.64)  # W / R
    assert p["converges"] is False
    assert "writable working set (64 MiB)" in p["reason"] and "640 ms" in p["reason"] and "50 ms" in p["reason"]
    assert "raise the downtime limit" in p["hint"]


def test_a_working_set_under_the_limit_still_floors_the_downtime():
    # W = 4.5 MiB fits the 5 MiB threshold: 1024 -> 256 -> 64 -> 16 -> 4.5 (not 4)
    p = predict_live(1024 * MiB, 25 * MiB, 100 * MiB, 0.05, wws_bytes=4.5 * MiB, resume_s=0.0)
    assert p["converges"] and p["rounds"] == 4
    assert p["stop_copy_bytes"] == 4.5 * MiB
    assert p["downtime_s"] == pytest.approx(4.5 / 100)
    without = predict_live(1024 * MiB, 25 * MiB, 100 * MiB, 0.05, resume_s=0.0)
    assert without["downtime_s"] == pytest.approx(0.04)


def test_a_working_set_larger_than_memory_is_all_of_memory():
    p = predict_live(10 * MiB, 1 * MiB, 100 * MiB, 0.05, wws_bytes=1 << 40, resume_s=0.0)
    assert p["stop_copy_bytes"] == 10 * MiB


def test_max_rounds_ends_a_slow_convergence():
    p = predict_live(1024 * MiB, 90 * MiB, 100 * MiB, 0.001, max_rounds=5, resume_s=0.0)
    assert p["rounds"] == 5 and not p["converges"]
    assert "within 5 rounds" in p["reason"]
    assert p["stop_copy_bytes"] == pytest.approx(1024 * MiB * 0.9 ** 5, abs=5 * 4096)  # a page rounded up a round


@pytest.mark.parametrize("bandwidth", [0, 0.0])
def test_bandwidth_zero_is_a_clear_error(bandwidth):
    with pytest.raises(UsageError, match=r"bandwidth is 0 bytes/s: nothing can be sent; give a bandwidth above 0"):
        predict_live(1024, 0, bandwidth, 0.05)
    with pytest.raises(UsageError, match="bandwidth is 0"):
        predict_quick(1024, 0, bandwidth, 1, 1)
    with pytest.raises(UsageError, match="bandwidth is 0"):
        predict_storage(1024, 0, bandwidth)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
@pytest.mark.parametrize("position", range(6))
def test_nan_and_infinity_are_refused_everywhere(bad, position):
    args = [1024 * MiB, 10 * MiB, 100 * MiB, 0.05, 0, 30]
    names = ["resident", "dirty", "bandwidth", "downtime", "working set", "max_rounds"]
    args[position] = bad
    with pytest.raises(UsageError) as e:
        predict_live(*args)
    assert "\n" not in str(e.value), names[position]


@pytest.mark.parametrize("kwargs, says", [
    ({"resident_bytes": -1}, "resident memory"), ({"dirty_rate": -5}, "dirty rate"),
    ({"bandwidth": -1}, "bandwidth"), ({"downtime_limit": 0}, "downtime limit"),
    ({"downtime_limit": -0.1}, "downtime limit"), ({"resident_bytes": "1G"}, "resident memory"),
    ({"dirty_rate": True}, "dirty rate"), ({"max_rounds": 0}, "max_rounds"), ({"max_rounds": 2.5}, "max_rounds"),
    ({"page_size": 0}, "page_size"), ({"resume_s": -1}, "resume time"), ({"wws_bytes": None}, "working set")])
def test_bad_figures_are_usage_errors_naming_them(kwargs, says):
    figures = {"resident_bytes": MiB, "dirty_rate": 0, "bandwidth": MiB, "downtime_limit": 0.05} | kwargs
    with pytest.raises(UsageError, match=says):
        predict_live(**figures)


def test_a_quick_move_is_down_while_it_saves_copies_and_restores():
    p = predict_quick(256 * MiB, 512 * MiB, 128 * MiB, 512 * MiB, 256 * MiB, resume_s=0.0)
    assert [(s["step"], s["seconds"]) for s in p["steps"]] == [("save", 0.5), ("copy", 6.0), ("restore", 1.0)]
    assert p["total_s"] == p["downtime_s"] == 7.5
    assert p["data_bytes"] == 768 * MiB and p["type"] == "quick" and p["converges"]
    saved = predict_quick(256 * MiB, 512 * MiB, 128 * MiB, 512 * MiB, 256 * MiB, already_saved=True, resume_s=0.0)
    assert saved["total_s"] == 7.0 and saved["steps"][0]["seconds"] == 0.0
    with pytest.raises(UsageError, match="save rate"):
        predict_quick(1, 1, 1, math.nan, 1)
    with pytest.raises(UsageError, match="restore rate"):
        predict_quick(1, 1, 1, 1, -1)


def test_a_storage_move_copies_dirtied_blocks_in_rounds():
    # 1024 MiB of disk, the guest writing 12.5 MiB/s over 100 MiB/s (lambda 1/8): 1024, 128, 16, then 2 MiB paused
    p = predict_storage(1024 * MiB, 12.5 * MiB, 100 * MiB)
    assert p["type"] == "storage" and p["converges"]
    assert [r["sent_bytes"] // MiB for r in p["per_round"]] == [1024, 128, 16]
    assert p["per_round"][0]["blocks"] == 1024 * MiB // 65536 and "pages" not in p["per_round"][0]
    assert p["stop_copy_bytes"] == 2 * MiB and p["data_bytes"] == 1170 * MiB
    assert p["downtime_s"] == pytest.approx(0.02) and p["total_s"] == pytest.approx(11.70)
    hot = predict_storage(1024 * MiB, 200 * MiB, 100 * MiB)
    assert not hot["converges"] and hot["reason"] == NOT_CONVERGING
