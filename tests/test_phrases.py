"""The lines core builds in English for placement are Phrases (their text unchanged, with template and values), and
every template core can make is listed for the translators (gui/placement_words.py)."""

from __future__ import annotations

import ast
import copy
import json
import pickle
from pathlib import Path

from core.hosts import rating
from core.model.phrase import Phrase, phrase
from gui import placement_words

ROOT = Path(__file__).resolve().parent.parent
GiB = 1 << 30


def made_templates() -> dict[str, str]:
    """Every template a ``phrase(...)`` call in core/ makes -> where (each call must give its template literally)."""
    out = {}
    for path in sorted((ROOT / "core").rglob("*.py")):
        if path.name == "phrase.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "phrase":
                first = node.args[0] if node.args else None
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                assert isinstance(first, ast.Constant) and isinstance(first.value, str), \
                    f"{where}: phrase() needs its template as a literal string (translators must see it)"
                out[first.value] = where
    return out


def templates_of(line) -> set[str]:
    """The templates of ``line`` and of the Phrases among its values."""
    if isinstance(line, (tuple, list)):
        return set().union(*(templates_of(v) for v in line)) if line else set()
    if not isinstance(line, Phrase):
        return set()
    return {line.template}.union(*(templates_of(v) for v in line.params.values()))


def test_a_phrase_is_its_english_text_with_its_template_and_values():
    p = phrase("Memory: {free} free of {total}", free="1.0 GiB", total="2.0 GiB")
    assert p == "Memory: 1.0 GiB free of 2.0 GiB" and isinstance(p, str)
    assert p.template == "Memory: {free} free of {total}" and p.params == {"free": "1.0 GiB", "total": "2.0 GiB"}
    listed = phrase("assumed: {defaults}", defaults=(phrase("CPU 20 %"), phrase("0 IOPS")))
    assert listed == "assumed: CPU 20 %, 0 IOPS"
    for again in (copy.copy(p), copy.deepcopy(p), pickle.loads(pickle.dumps(p))):
        assert again == p and again.template == p.template and again.params == p.params
    assert json.loads(json.dumps({"lines": [p]})) == {"lines": ["Memory: 1.0 GiB free of 2.0 GiB"]}


def test_every_template_core_makes_is_listed_for_the_translators():
    made = made_templates()
    assert len(made) >= 30 and "Memory: {free} free of {total}, {after} after" in made
    missing = sorted(f"{where}: {t!r}" for t, where in made.items() if t not in placement_words.TEMPLATES)
    assert not missing, "add these to gui/placement_words.py TEMPLATES:\n" + "\n".join(missing)


def host(**kw) -> dict:
    figures = {"host": "h", "reachable": True, "kind": "bulkhead", "backend": "kvm", "memory_total": 24 * GiB,
               "memory_free": 20 * GiB, "memory_max": 64 * GiB, "vcpus_max": 64, "logical_processors": 2,
               "cpu_history": [40.0, 60.0], "storage_total": 100 * GiB, "storage_free": 50 * GiB, "disk_iops": 10.0,
               "network_mbps": 1.0, "problems": []}
    figures.update(kw)
    return figures


SAMPLES = [host(), host(current=True), host(backend="tcg emulation", kvm=False),
           host(memory_free=None, cpu_history=[], storage_free=None, disk_iops=None, network_mbps=None),
           host(cpu_history=[99.0]), host(memory_free=GiB // 4, memory_max=GiB // 8, vcpus_max=1, storage_free=1),
           host(kind="libvirt"), host(reachable=False, error="timed out"), host(reachable=False),
           host(problems=[phrase("this host takes no moves now: {why}", why=phrase("refused"))])]


def test_every_line_of_a_rating_is_a_phrase_whose_templates_are_listed():
    seen = set()
    for goal in rating.GOALS:
        for load in ({"memory_bytes": GiB, "vcpus": 2, "state": "Running", "kind": "bulkhead"},
                     {"memory_bytes": GiB, "vcpus": 1, "kind": "libvirt", "cpu_percent": 5.0, "disk_bytes": 0,
                      "disk_iops": 1.0, "network_mbps": 1.0}):
            for r in rating.rate(load, SAMPLES, goal):
                for line in r["explanation"]:
                    assert isinstance(line, Phrase), line
                    seen |= templates_of(line)
    assert not seen - set(placement_words.TEMPLATES), seen - set(placement_words.TEMPLATES)
    assert seen <= set(made_templates())
    assert len(seen) >= 30  # the samples reach nearly every line


def test_the_english_text_is_as_before():
    [r] = rating.rate({"memory_bytes": GiB, "vcpus": 2, "state": "Running"}, [host()])
    assert r["explanation"][:3] == [
        "3 stars for load balancing: cpu 70 %, memory 21 %, disk 52 %, network 0 % in use with this VM",
        "Memory: 20 GiB free of 24 GiB, 19 GiB after",
        "CPU: 50 % on average over the window, 70 % with this VM (2 logical processors)"]
    [refused] = rating.rate({"memory_bytes": 30 * GiB, "vcpus": 1}, [host()])
    assert refused["explanation"][0] == "the VM needs 30 GiB of memory; this host has 20 GiB free"
    assert refused["explanation"][0].params == {"need": "30 GiB", "free": "20 GiB"}


def test_the_console_shows_a_phrase_as_its_text_where_there_is_no_translation(qapp):
    p = phrase("this host takes no moves now: {why}", why=phrase("refused"))
    assert placement_words.text(p) == "this host takes no moves now: refused"
    assert placement_words.text("plain") == "plain"


def test_a_precheck_row_read_back_from_its_text_is_the_same_phrase(qapp):
    """A precheck's rows cross the protocol as text: the console reads each back into its template and values."""
    from PySide6.QtCore import QLocale

    from core.hosts import precheck

    from .test_move_precheck import described, facts

    samples = [precheck.destination_rows(described(), facts()),
               precheck.destination_rows(described(vcpus=12, memory=20 * GiB), facts(memory_free=GiB, switches=[],
                                         folder={"path": "/x", "free": 1}), "network", {"lab": "wan", "old": "new"}),
               precheck.destination_rows(described(), facts(vms=[{"id": "a" * 32, "name": "web1"}], kvm=False,
                                                             memory_free=None), "storage"),
               precheck.destination_rows(described(), facts(disks={}), "quick"),
               precheck.destination_rows(described(), facts(disks={}), "quick", bandwidth=1024.0),
               precheck.destination_rows(described(), facts(disks={"/srv/vms/web1.vhd": {"exists": True}}), "quick",
                                         bandwidth=float(GiB)),
               precheck.destination_rows(described(checkpoints=2), facts(image={"state": "different", "path": "/i"},
                                                                          disks={}, live_copies=False)),
               precheck.destination_rows(described(checkpoints=1), facts(image={"state": "missing"},
                                                                          live_copies=False)),
               precheck.source_rows(described(), "live"), precheck.source_rows(described(state="Off"), "live")]
    read = 0
    before = QLocale()
    QLocale.setDefault(QLocale("en_US"))
    for rows in samples:
        for r in rows:
            for line in (r["text"], r["hint"]):
                if isinstance(line, Phrase):
                    again = placement_words.as_phrase(json.loads(json.dumps(line)))
                    assert again is not None and again.template == line.template, line
                    assert again == line and placement_words.text(again) == str(line)
                    read += 1
    QLocale.setDefault(before)
    assert read >= 40
