"""A move's job result keeps the prediction made before it beside what happened (total time, downtime, rounds,
data), with how far off each figure was; a prediction from the client is untrusted and only its finite,
non-negative figures are kept. A VM moved live keeps its uptime."""

from __future__ import annotations

import math

from core.local.migration_figures import beside_prediction, predicted_figures

from .helpers.moves import new_running, pair_fixture

pair = pair_fixture()


def test_the_result_has_the_prediction_beside_the_actual_figures(pair):
    a, b = pair
    new_running(a, "web1", memory="64M", workload="dirty:5")
    job = a.move_vm("web1", b, type="live").wait(60)
    assert job.state == "Completed", job.error
    r = job.result
    assert set(r["predicted"]) >= {"total_s", "downtime_s", "data_bytes"}
    assert all(isinstance(v, (int, float)) and v >= 0 for v in r["predicted"].values())
    err = r["prediction_error"]
    assert "total_s" in err and math.isclose(err["total_s"], (r["total_s"] - r["predicted"]["total_s"])
                                             / r["predicted"]["total_s"], abs_tol=1e-3)
    job = b.move_vm("web1", a, predict=False).wait(60)  # none asked for: none kept
    assert job.state == "Completed" and "predicted" not in job.result, job.error


def test_a_prediction_from_the_client_is_checked():
    assert predicted_figures(None) is None and predicted_figures("fast") is None
    kept = predicted_figures({"total_s": 2.0, "downtime_s": float("nan"), "rounds": True, "data_bytes": -1,
                              "other": 5})
    assert kept == {"total_s": 2.0}
    r = beside_prediction({"total_s": 3.0, "downtime_s": 0.01, "rounds": [{}, {}], "bytes_sent": 10}, kept)
    assert r["predicted"] == {"total_s": 2.0} and r["prediction_error"] == {"total_s": 0.5}


def test_a_vm_moved_live_keeps_its_uptime(pair):
    import time

    a, b = pair
    new_running(a, "up1", memory="32M")
    time.sleep(2.0)
    before = a.vm("up1").uptime
    job = a.move_vm("up1", b, type="live", predict=False).wait(60)
    assert job.state == "Completed", job.error
    assert before >= 1.9 and b.vm("up1").uptime >= before  # not counted from zero at the destination
