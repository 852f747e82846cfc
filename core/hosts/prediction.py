"""How long a move will take, before it starts: the pre-copy model of live migration (Clark et al., NSDI 2005, as
QEMU implements it), quick migration (save, copy, restore) and storage migration (disk blocks in rounds).

Pure functions of figures (no host, no I/O), so the console's Summary page can recompute them every second.

Live migration, the standard model (memory V, transfer rate R, dirty rate D, lambda = D / R):
- round 0 sends the resident memory V while the guest runs; round i sends what the guest dirtied during round
  i - 1, V * lambda^i, taking V * lambda^i / R;
- after each round, when the remaining dirty bytes fit R * downtime_limit, the guest stops and the rest is sent
  (stop-and-copy): downtime = remaining / R + the time to resume at the destination;
- a writable working set W (pages the guest rewrites constantly) is dirty again after every round whatever its
  length, so the remaining bytes never fall below W and the downtime never below W / R;
- when the remaining bytes stop shrinking (lambda >= 1, or the floor W is over the limit), more rounds only send
  the same pages again: the move switches over there (as the engine does without auto-converge) and does not fit
  its downtime limit. With lambda >= 1 the reason is "will not converge without throttling".

Round 0 is always sent while the guest runs (as the engine does), so a VM whose whole memory fits the limit still
takes one round; for V > R * downtime_limit the rounds are the model's n = ceil(log(R * T / V) / log lambda).
"""

from __future__ import annotations

import math

from core.model.converge import next_throttle
from core.model.errors import UsageError
from core.model.units import format_size

RESUME_S = 0.003  # starting the vCPUs at the destination and answering RUNNING (fixed part of the downtime)
MAX_ROUNDS = 30
PAGE = 4096
BLOCK = 64 * 1024  # the storage path's dirty-block granularity assumed for storage moves
NOT_CONVERGING = "will not converge without throttling"
MiB = 1 << 20
# the link's bandwidth when nothing was measured between two hosts: about what a 1 Gbit/s link carries, under QEMU's
# default migration limit of 128 MiB/s; a prediction that uses it says so
ASSUMED_BANDWIDTH = 100 * MiB


def _number(value, what: str, *, low: float = 0.0, above: bool = False) -> float:
    """``value`` as a float if it is a finite real number >= ``low`` (> with ``above``); UsageError otherwise."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise UsageError(f"{what} must be a number (got {value!r:.40})")
    if not math.isfinite(value):
        raise UsageError(f"{what} must be a finite number (got {value})")
    if value < low or (above and value == low):
        raise UsageError(f"{what} must be {'more than' if above else 'at least'} {low:g} (got {value:g})")
    return float(value)


def _whole(value, what: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise UsageError(f"{what} must be a whole number between {low} and {high} (got {value!r:.40})")
    return value


def _bandwidth(value, what: str = "bandwidth") -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value == 0:
        raise UsageError(f"{what} is 0 bytes/s: nothing can be sent; give a bandwidth above 0 (e.g. 100M)")
    return _number(value, f"{what} (bytes/s)", above=True)


def _pages(n: float, page: int) -> int:
    """``n`` bytes in whole pages (a tolerance for the float error of products such as 0.1 * 3)."""
    if n <= 0:
        return 0
    return math.ceil(n / page - 1e-9) * page


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.0f} s"


def _rate(bytes_s: float) -> str:
    return f"{bytes_s / MiB:.1f} MiB/s" if bytes_s < 10 * MiB else f"{bytes_s / MiB:.0f} MiB/s"


def _rounds(size: float, dirty_rate: float, bandwidth: float, limit: float, floor: float, max_rounds: int,
            unit: int) -> dict:
    """The pre-copy rounds of ``size`` bytes (in ``unit``-byte pages or blocks): the engine of both live and storage
    predictions. Returns the rounds, the bytes left for the stop-and-copy and why it stopped."""
    threshold = bandwidth * limit
    ratio = dirty_rate / bandwidth
    to_send = _pages(size, unit)
    floor = min(_pages(floor, unit), to_send)
    rounds: list[dict] = []
    why = "fits"
    while to_send > 0:
        if rounds and to_send <= threshold:
            break
        if len(rounds) >= max_rounds:
            why = "max_rounds"
            break
        seconds = to_send / bandwidth
        dirtied = min(float(_pages(size, unit)), max(to_send * ratio, floor))
        dirtied = _pages(dirtied, unit)
        rounds.append({"round": len(rounds), "sent_bytes": to_send, "pages": to_send // unit,
                       "seconds": round(seconds, 6), "remaining_bytes": dirtied,
                       "dirty_rate": round(dirty_rate, 3), "bandwidth": round(bandwidth, 3)})
        stalled = dirtied >= to_send and dirtied > threshold
        to_send = dirtied
        if stalled:
            why = "stalled"
            break
    return {"rounds": rounds, "final": to_send, "why": why, "threshold": threshold, "ratio": ratio}


def predict_live(resident_bytes, dirty_rate, bandwidth, downtime_limit, wws_bytes=0, max_rounds: int = MAX_ROUNDS,
                 page_size: int = PAGE, resume_s: float = RESUME_S) -> dict:
    """The prediction of a live migration of a guest with ``resident_bytes`` of memory, dirtying ``dirty_rate``
    bytes/s, over a link of ``bandwidth`` bytes/s, with a ``downtime_limit`` in seconds.

    Returns {"type": "live", "total_s", "data_bytes", "rounds" (pre-copy rounds), "downtime_s", "converges",
    "reason" ("" when it converges), "hint", "stop_copy_bytes", "threshold_bytes", "dirty_ratio" (lambda),
    "per_round": [{"round", "sent_bytes", "pages", "seconds", "remaining_bytes", "dirty_rate", "bandwidth",
    "expected_downtime_s"}], "inputs": {...}}. Bad figures (NaN, infinity, negative, bandwidth 0) are a UsageError.
    """
    size = _number(resident_bytes, "resident memory (bytes)")
    dirty = _number(dirty_rate, "dirty rate (bytes/s)")
    link = _bandwidth(bandwidth)
    limit = _number(downtime_limit, "downtime limit (s)", above=True)
    wws = _number(wws_bytes, "writable working set (bytes)")
    max_rounds = _whole(max_rounds, "max_rounds", 1, 10_000)
    page_size = _whole(page_size, "page_size", 1, 1 << 30)
    resume = _number(resume_s, "resume time (s)")
    run = _rounds(size, dirty, link, limit, wws, max_rounds, page_size)
    for r in run["rounds"]:
        r["expected_downtime_s"] = round(r["remaining_bytes"] / link + resume, 6)
    final = run["final"]
    downtime = final / link + resume
    precopy_s = sum(r["sent_bytes"] for r in run["rounds"]) / link
    converges = final <= run["threshold"]
    reason = hint = ""
    if not converges:
        reason, hint = _why_not(run, dirty, link, limit, wws, max_rounds)
    return {
        "type": "live",
        "total_s": round(precopy_s + downtime, 6),
        "data_bytes": int(sum(r["sent_bytes"] for r in run["rounds"]) + final),
        "rounds": len(run["rounds"]),
        "downtime_s": round(downtime, 6),
        "converges": converges,
        "reason": reason,
        "hint": hint,
        "stop_copy_bytes": int(final),
        "threshold_bytes": int(run["threshold"]),
        "dirty_ratio": round(run["ratio"], 6),
        "per_round": run["rounds"],
        "inputs": {"resident_bytes": int(size), "dirty_rate": dirty, "bandwidth": link, "downtime_limit": limit,
                   "wws_bytes": int(wws), "max_rounds": max_rounds, "page_size": page_size, "resume_s": resume},
    }


def _why_not(run: dict, dirty: float, link: float, limit: float, wws: float, max_rounds: int) -> tuple[str, str]:
    """(reason, hint) of a live move that does not fit its downtime limit."""
    needed = run["final"] / link
    if run["ratio"] >= 1:
        return NOT_CONVERGING, (f"the guest dirties {_rate(dirty)} and the link carries {_rate(link)}: turn on "
                                "auto-converge, lower the guest's load, or raise the bandwidth")
    if run["why"] == "stalled" and wws > link * limit:
        return (f"the writable working set ({format_size(int(wws))}) alone needs {_ms(needed)} of downtime at "
                f"{_rate(link)}, over the {_ms(limit)} limit",
                f"raise the downtime limit to {_ms(needed * 1.1)} or the bandwidth, or turn on auto-converge")
    return (f"the remaining memory does not fit the {_ms(limit)} downtime limit within {max_rounds} rounds",
            f"raise the downtime limit to {_ms(needed * 1.1)} or the bandwidth, or turn on auto-converge")


def predict_quick(resident_bytes, disk_bytes, bandwidth, save_rate, restore_rate, already_saved: bool = False,
                  resume_s: float = RESUME_S) -> dict:
    """Quick migration: save the memory (``save_rate`` bytes/s; skipped when ``already_saved``), send the saved
    state and the ``disk_bytes`` to copy at ``bandwidth``, restore at ``restore_rate``. The VM is down throughout.
    An Off VM (resident 0) is a network copy of its files. Returns {"type": "quick", "total_s", "data_bytes",
    "downtime_s", "rounds": 0, "converges": True, "reason": "", "hint": "", "steps": [{"step", "bytes",
    "seconds"}], "inputs": {...}}."""
    size = _number(resident_bytes, "resident memory (bytes)")
    disks = _number(disk_bytes, "disk bytes to copy")
    link = _bandwidth(bandwidth)
    save = _bandwidth(save_rate, "save rate")
    restore = _bandwidth(restore_rate, "restore rate")
    resume = _number(resume_s, "resume time (s)")
    if not isinstance(already_saved, bool):
        raise UsageError("already_saved must be true or false")
    steps = [{"step": "save", "bytes": 0 if already_saved else int(size),
              "seconds": 0.0 if already_saved else round(size / save, 6)},
             {"step": "copy", "bytes": int(size + disks), "seconds": round((size + disks) / link, 6)},
             {"step": "restore", "bytes": int(size), "seconds": round(size / restore + (resume if size else 0), 6)}]
    total = sum(s["seconds"] for s in steps)
    return {"type": "quick", "total_s": round(total, 6), "data_bytes": int(size + disks),
            "downtime_s": round(total, 6), "rounds": 0, "converges": True, "reason": "", "hint": "", "steps": steps,
            "inputs": {"resident_bytes": int(size), "disk_bytes": int(disks), "bandwidth": link, "save_rate": save,
                       "restore_rate": restore, "already_saved": already_saved, "resume_s": resume}}


def predict_storage(disk_bytes, write_rate, bandwidth, downtime_limit: float = 0.05, block_size: int = BLOCK,
                    max_rounds: int = MAX_ROUNDS) -> dict:
    """Storage migration of ``disk_bytes`` while the guest writes ``write_rate`` bytes/s: the disks are copied in
    rounds of dirtied blocks, then the VM is paused for the last blocks and switched to the new files. Returns the
    shape of ``predict_live`` with "type": "storage" (downtime: the switch-over pause; each round counts
    "blocks", not "pages")."""
    size = _number(disk_bytes, "disk bytes to copy")
    writes = _number(write_rate, "write rate (bytes/s)")
    link = _bandwidth(bandwidth)
    limit = _number(downtime_limit, "downtime limit (s)", above=True)
    block_size = _whole(block_size, "block_size", 512, 1 << 30)
    max_rounds = _whole(max_rounds, "max_rounds", 1, 10_000)
    run = _rounds(size, writes, link, limit, 0.0, max_rounds, block_size)
    for r in run["rounds"]:
        r["blocks"] = r.pop("pages")
        r["expected_downtime_s"] = round(r["remaining_bytes"] / link, 6)
    final = run["final"]
    converges = final <= run["threshold"]
    reason = hint = ""
    if not converges:
        reason, hint = _why_not(run, writes, link, limit, 0.0, max_rounds)
        reason = reason.replace("memory", "disk blocks")
    sent = sum(r["sent_bytes"] for r in run["rounds"])
    return {"type": "storage", "total_s": round((sent + final) / link, 6), "data_bytes": int(sent + final),
            "rounds": len(run["rounds"]), "downtime_s": round(final / link, 6), "converges": converges,
            "reason": reason, "hint": hint, "stop_copy_bytes": int(final), "threshold_bytes": int(run["threshold"]),
            "dirty_ratio": round(run["ratio"], 6), "per_round": run["rounds"],
            "inputs": {"disk_bytes": int(size), "write_rate": writes, "bandwidth": link, "downtime_limit": limit,
                       "block_size": block_size, "max_rounds": max_rounds}}


# --- the engine's own rounds (core/engine/partition_migration.py), as a move will really run -------------------------
# the fixed switch-over cost (park, device state, GO, RUNNING) when no move to the host measured one: only the resume
# (a lower bound, as the console and CLI have always shown it); the first move's job result gives the real figure
SWITCH_S = RESUME_S


def predict_engine(resident_bytes, dirty_rate, bandwidth, downtime_limit, wws_bytes=None, switch_s: float = SWITCH_S,
                   auto_converge: bool = True, max_rounds: int = MAX_ROUNDS, page_size: int = PAGE) -> dict:
    """A live move as the engine runs it: round 0 sends the resident pages; after each round the pages dirtied
    during it are left; it stops when they fit bandwidth x downtime_limit ("converged"), after ``max_rounds``
    ("max rounds") or, without auto-converge, when what is left did not shrink two rounds running ("not
    converging"). Auto-converge (from round 1, when a round left more than half of what it sent) holds the vCPUs
    as core.model.converge says (a step of 20 %, then 10 % more, or at once what brings the dirty rate to half the
    bandwidth; up to 99 %), which lowers the dirty rate in proportion.

    Pages dirtied in a round of T seconds: ``dirty_rate`` (unique pages a second, as the sampler counts them) x T,
    never more than ``wws_bytes`` (the writable working set: the unique pages the guest dirties over a long window,
    so a long round does not count a rewritten page twice; None: the resident memory). Downtime: the last pages at
    the bandwidth plus ``switch_s``, the fixed switch-over cost (learned from past moves). Returns the shape of
    ``predict_live`` with "stop_reason", "throttle" (highest %), "switch_s" and each round's "throttle"; a move that
    converges only because it is throttled (dirty rate >= bandwidth) keeps "converges": True with the reason
    "will not converge without throttling" and a hint saying how far it will be throttled."""
    size = _number(resident_bytes, "resident memory (bytes)")
    dirty = _number(dirty_rate, "dirty rate (bytes/s)")
    link = _bandwidth(bandwidth)
    limit = _number(downtime_limit, "downtime limit (s)", above=True)
    cap = size if wws_bytes is None else min(size, _number(wws_bytes, "writable working set (bytes)"))
    switch = _number(switch_s, "switch-over time (s)")
    max_rounds = _whole(max_rounds, "max_rounds", 1, 10_000)
    page_size = _whole(page_size, "page_size", 1, 1 << 30)
    if not isinstance(auto_converge, bool):
        raise UsageError("auto_converge must be true or false")
    threshold = link * limit
    to_send, throttle, highest, stagnant, previous = _pages(size, page_size), 0, 0, 0, None
    rounds: list[dict] = []
    why = "max rounds"
    for n in range(max_rounds):
        seconds = to_send / link
        left = _pages(min(dirty * (1 - throttle / 100) * seconds, cap), page_size)
        rounds.append({"round": n, "sent_bytes": to_send, "pages": to_send // page_size, "seconds": round(seconds, 6),
                       "remaining_bytes": left, "dirty_rate": round(dirty * (1 - throttle / 100), 3),
                       "bandwidth": round(link, 3), "expected_downtime_s": round(left / link + switch, 6),
                       "throttle": throttle})
        stagnant = stagnant + 1 if previous is not None and left >= previous else 0
        previous = left
        if left <= threshold:
            why = "converged"
            break
        if not auto_converge and stagnant >= 2:
            why = "not converging"
            break
        if auto_converge and n >= 1 and left > to_send / 2:
            # as the engine reads it: the rate sampled each second of a round of a second or more, else the round's
            held = dirty * (1 - throttle / 100)
            throttle = next_throttle(throttle, *((held, 1.0) if seconds >= 1.0 else (left, seconds)), link)
            highest = max(highest, throttle)
        to_send = left
    final = rounds[-1]["remaining_bytes"]
    downtime = final / link + switch
    sent = sum(r["sent_bytes"] for r in rounds)
    converges = why == "converged"
    reason = hint = ""
    if converges and highest and dirty >= link:
        # true as said: it converges only because auto-converge throttles the guest
        reason = NOT_CONVERGING
        hint = (f"auto-converge will throttle the vCPUs up to {highest} % to finish; lower the guest's load or raise "
                "the bandwidth to move it unslowed")
    if not converges:
        needed = final / link
        if why == "not converging":
            reason = NOT_CONVERGING
            hint = (f"the guest dirties {_rate(dirty)} and the link carries {_rate(link)}: turn on auto-converge, "
                    "lower the guest's load, or raise the bandwidth")
        else:
            reason = (f"the remaining memory does not fit the {_ms(limit)} downtime limit within {max_rounds} rounds"
                      + (f" even with the vCPUs throttled {highest} %" if highest else ""))
            hint = f"raise the downtime limit to {_ms(needed * 1.1)} or the bandwidth, or lower the guest's load"
    return {"type": "live", "total_s": round(sent / link + downtime, 6), "data_bytes": int(sent + final),
            "rounds": len(rounds), "downtime_s": round(downtime, 6), "converges": converges, "reason": reason,
            "hint": hint, "stop_reason": why, "throttle": highest, "switch_s": switch, "stop_copy_bytes": int(final),
            "threshold_bytes": int(threshold), "dirty_ratio": round(dirty / link, 6), "per_round": rounds,
            "inputs": {"resident_bytes": int(size), "dirty_rate": dirty, "bandwidth": link, "downtime_limit": limit,
                       "wws_bytes": None if wws_bytes is None else int(cap), "switch_s": switch, "resume_s": switch,
                       "auto_converge": auto_converge, "max_rounds": max_rounds, "page_size": page_size}}
