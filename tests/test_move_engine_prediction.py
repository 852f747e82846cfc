"""The live prediction as the engine runs a move: its stop rule, auto-converge, the working-set cap, and the
switch-over cost and bandwidth learned from the last move's job."""

from types import SimpleNamespace

import pytest

from core.api import placement
from core.hosts.prediction import NOT_CONVERGING, predict_engine
from core.model.errors import UsageError

MiB = 1 << 20


def test_an_idle_guest_takes_round_zero_and_the_switch_over_cost():
    p = predict_engine(64 * MiB, 0, 8 * MiB, 0.05, switch_s=0.1)
    assert p["rounds"] == 1 and p["converges"] and p["stop_reason"] == "converged"
    assert p["total_s"] == pytest.approx(8.1) and p["downtime_s"] == pytest.approx(0.1)


def test_rounds_follow_the_engine_by_hand():
    # 64 MiB at 8 MiB/s: round 0 8 s dirties 8 MiB at 1 MiB/s; round 1 1 s dirties 1 MiB; 1 MiB > 0.4 MiB: round 2
    # 0.125 s dirties 128 KiB <= 0.4 MiB: converged
    p = predict_engine(64 * MiB, 1 * MiB, 8 * MiB, 0.05, switch_s=0.0)
    assert [r["sent_bytes"] for r in p["per_round"]] == [64 * MiB, 8 * MiB, 1 * MiB]
    assert p["stop_copy_bytes"] == 128 * 1024 and p["throttle"] == 0
    assert p["total_s"] == pytest.approx((73 * MiB + 128 * 1024) / (8 * MiB))


def test_auto_converge_throttles_a_guest_faster_than_the_link_until_it_fits():
    p = predict_engine(64 * MiB, 12 * MiB, 8 * MiB, 0.05, switch_s=0.0)
    assert p["converges"] and p["throttle"] >= 40
    throttles = [r["throttle"] for r in p["per_round"]]
    # after round 1, as the engine: a step, or at once what brings the dirty rate sampled each second (12 MiB/s)
    # to half the link: 67 % (round 1's unique pages, capped by the 64 MiB there are, would have said 8 MiB/s)
    assert throttles[:4] == [0, 0, 67, 67], throttles


def test_without_auto_converge_it_stops_like_the_engine_after_two_rounds_that_did_not_shrink():
    p = predict_engine(64 * MiB, 12 * MiB, 8 * MiB, 0.05, auto_converge=False)
    assert not p["converges"] and p["stop_reason"] == "not converging" and p["reason"] == NOT_CONVERGING
    assert p["rounds"] == 3  # round 0 leaves 64 MiB (all of memory), rounds 1 and 2 the same


def test_max_rounds_is_the_engines_last_word():
    p = predict_engine(64 * MiB, 12 * MiB, 8 * MiB, 0.001, max_rounds=4)
    assert p["rounds"] == 4 and p["stop_reason"] == "max rounds" and not p["converges"]
    assert "within 4 rounds" in p["reason"] and "throttled" in p["reason"]


def test_the_writable_working_set_caps_what_a_long_round_dirties():
    plain = predict_engine(256 * MiB, 4 * MiB, 8 * MiB, 0.05, switch_s=0.0)
    capped = predict_engine(256 * MiB, 4 * MiB, 8 * MiB, 0.05, wws_bytes=2 * MiB, switch_s=0.0)
    assert capped["per_round"][0]["remaining_bytes"] == 2 * MiB < plain["per_round"][0]["remaining_bytes"]
    assert capped["total_s"] < plain["total_s"]


@pytest.mark.parametrize("kwargs", [{"switch_s": -1}, {"switch_s": float("nan")}, {"wws_bytes": "x"},
                                    {"auto_converge": 1}, {"max_rounds": 0}])
def test_bad_figures_are_usage_errors(kwargs):
    with pytest.raises(UsageError):
        predict_engine(64 * MiB, 0, 8 * MiB, 0.05, **kwargs)


def _src(*results):
    jobs = [SimpleNamespace(state="Completed", name="Migrate VM", result=r) for r in results]
    return SimpleNamespace(jobs=lambda limit=200: jobs)


DST = SimpleNamespace(uri="bulkhead://b", description="")


def test_the_switch_over_cost_and_round_zero_bandwidth_come_from_the_last_move():
    result = {"destination": "bulkhead://b", "bandwidth": 9 * MiB, "downtime_s": 0.125, "stop_copy_bytes": 2 * MiB,
              "rounds": [{"bandwidth": 5.5 * MiB}, {"bandwidth": 9 * MiB}]}
    assert placement.round0_bandwidth(_src(result), DST) == 5.5 * MiB
    switch, source = placement.measured_switch(_src(result), DST)
    assert source == "measured" and switch == 0.0  # 2 MiB at 5.5 MiB/s is over the downtime: never below 0
    result["stop_copy_bytes"] = 128 * 1024
    switch, _ = placement.measured_switch(_src(result), DST)
    assert switch == pytest.approx(0.125 - 0.125 / 5.5)


def test_the_switch_over_cost_is_the_median_of_the_last_moves_so_one_outlier_does_not_set_it():
    def move(downtime):
        return {"destination": "bulkhead://b", "bandwidth": 8 * MiB, "downtime_s": downtime, "stop_copy_bytes": 0,
                "rounds": [{"bandwidth": 8 * MiB}]}
    newest_first = [move(0.200), move(0.010), move(0.012), move(0.011), move(0.300), move(0.500), move(0.900)]
    switch, source = placement.measured_switch(_src(*newest_first), DST)
    assert source == "measured" and switch == pytest.approx(0.012)  # the median of the newest five
    other = dict(move(0.050), destination="bulkhead://c")  # moves to another host do not count
    assert placement.measured_switch(_src(other, move(0.010)), DST)[0] == pytest.approx(0.010)


def test_no_earlier_move_means_the_typical_switch_over_cost():
    assert placement.measured_switch(_src(), DST) == (placement.prediction.SWITCH_S, "assumed")


def test_a_given_limit_gives_way_to_what_the_same_link_really_carried():
    result = {"destination": "bulkhead://b", "rounds": [{"bandwidth": 5.5 * MiB}]}
    link, source, note = placement.choose_bandwidth(_src(result), DST, 6.25 * MiB)
    assert (link, source) == (5.5 * MiB, "measured") and "round 0" in note
    link, source, _ = placement.choose_bandwidth(_src(result), DST, 25 * MiB)  # another link: the limit stands
    assert (link, source) == (25 * MiB, "given")


def test_a_move_that_converges_only_by_throttling_says_so():
    p = predict_engine(64 * MiB, 12 * MiB, 8 * MiB, 0.05)
    assert p["converges"] and p["reason"] == NOT_CONVERGING and "throttle the vCPUs up to" in p["hint"]
    assert predict_engine(64 * MiB, 1 * MiB, 8 * MiB, 0.05)["reason"] == ""


def test_auto_converge_holds_the_guest_as_far_as_its_dirty_rate_needs_at_once():
    from core.model.converge import next_throttle
    # 20 MiB/s dirtied over an 11.4 MiB/s link: half the link is 5.7 MiB/s, so 72 % held, not 20 % then +10 %
    assert next_throttle(0, 20 * MiB, 1.0, 11.4 * MiB) == 72
    assert next_throttle(0, 1 * MiB, 1.0, 11.4 * MiB) == 20  # a slow dirtier: the first step
    assert next_throttle(30, 7 * MiB, 1.0, 11.4 * MiB) == 43  # measured while held 30 %: 10 MiB/s unheld
    assert next_throttle(90, 50 * MiB, 1.0, 1 * MiB) == 99
    assert next_throttle(20, 0, 0, 0) == 30  # nothing measured: a step
    fast = predict_engine(256 * MiB, 20 * MiB, 11.4 * MiB, 0.05, wws_bytes=64 * MiB, switch_s=0.0)
    assert fast["converges"] and fast["throttle"] >= 70 and fast["rounds"] <= 11  # each round then halves
