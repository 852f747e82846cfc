"""A move's prediction kept beside what happened: the client predicts (core/hosts/prediction.py) and sends the
figures with vm.move / vm.move.send; the source's job result has them with the actual ones and how far off each
was."""

from __future__ import annotations

import math

PREDICTED = ("total_s", "downtime_s", "rounds", "data_bytes")


def predicted_figures(predicted) -> dict | None:
    """The figures of a client's prediction worth keeping (finite, non-negative numbers only: it is untrusted)."""
    if not isinstance(predicted, dict):
        return None
    kept = {k: predicted[k] for k in PREDICTED if isinstance(predicted.get(k), (int, float))
            and not isinstance(predicted.get(k), bool) and math.isfinite(predicted[k]) and predicted[k] >= 0}
    return kept or None


def beside_prediction(result: dict, predicted: dict | None) -> dict:
    """A move's result with the prediction beside what happened, and how far off each figure was."""
    if not predicted or not isinstance(result, dict):
        return result
    rounds = result.get("rounds")
    actual = {"total_s": result.get("total_s"), "downtime_s": result.get("downtime_s"),
              "rounds": len(rounds) if isinstance(rounds, list) else rounds,
              "data_bytes": result.get("bytes_sent")}
    result["predicted"] = dict(predicted)
    result["prediction_error"] = {k: round((actual[k] - v) / v, 3) for k, v in predicted.items()
                                  if isinstance(actual.get(k), (int, float)) and v}
    return result
