"""`make bench` checks issue 18's targets against each run and says which are not met."""

import json

import pytest

from demo.management.commands import run_benchmark


def result(page, rps, p95_ms=50.0, queries=8, errors=0, role="coordinator", kind="other"):
    return {
        "page": page,
        "role": role,
        "kind": kind,
        "path": "/",
        "rps": rps,
        "p50_ms": p95_ms / 2,
        "p95_ms": p95_ms,
        "queries": queries,
        "errors": errors,
    }


RESULTS = [
    result("baseline", 1000, 15, 2, role="anonymous", kind="reference"),
    result("baseline_signed_in", 500, 30, 6, kind="reference"),
    result("queue", 120, 180, 10, kind="list"),
    result("news_list", 280, 55, 8, kind="light"),
    result("claim", 110, 90, 9),
    result("training", 15, 900, 9),
    result("admin_changelist", 20, 1400, 13, role="admin", kind="reference"),
]
OPTS = {"workers": 2, "threads": 1, "connections": 20, "duration": 10}


@pytest.fixture
def out(tmp_path, monkeypatch):
    monkeypatch.setattr(run_benchmark, "OUT", tmp_path)
    (tmp_path / "analysis.md").write_text("## Where the time goes\n\nProfiled.\n")
    return tmp_path


@pytest.mark.django_db
def test_the_report_says_which_targets_are_met(out):
    run_benchmark.Command().write([dict(r) for r in RESULTS], OPTS)
    report = (out / "results.md").read_text()
    assert "| queue | coordinator | 120 | 90.0 | 180.0 | 10 | 0.12 | 0.24 | 0 |" in report
    # The admin's 13 queries are over 12; the queue is 6x the admin, not 10x; the queue
    # is under a quarter of the baseline and its p95 over 100 ms; nothing failed.
    # The admin's 13 queries are over 12; the queue is under half the signed-in baseline,
    # 6x the admin (not 10x) and its p95 over 100 ms; news is under 0.6x; the training
    # page is under a quarter and slower than the admin; nothing failed.
    assert "NOT met: at most 12 queries per page. Over: admin_changelist 13." in report
    assert (
        "NOT met: the queue, the lists and the request page at least 0.5× the signed-in "
        "baseline (250 req/s). Below: queue 120 req/s (0.24×)." in report
    )
    assert "Below: news_list 280 req/s (0.56×)." in report
    assert (
        "NOT met: every other main page at least 0.25× the signed-in baseline (125 req/s). "
        "Below: claim 110 req/s (0.22×), training 15 req/s (0.03×)." in report
    )
    assert "Slower: training 15 req/s (0.03×)." in report
    assert "NOT met: the queue at least 10× the admin changelist's throughput" in report
    assert "120 vs 20 req/s (6.0×)" in report
    assert "NOT met: the lists' p95 under 100 ms at 20 connections. Over: queue 180 ms." in report
    assert "met: no errors" in report and "NOT met: no errors" not in report
    assert report.rstrip().endswith("Profiled.")
    data = json.loads((out / "results.json").read_text())
    assert [t["met"] for t in data["targets"]] == [False] * 7 + [True]


@pytest.mark.django_db
def test_a_fast_enough_run_meets_them(out):
    fast = [
        result("baseline", 1000, 15, 2, role="anonymous", kind="reference"),
        result("baseline_signed_in", 500, 30, 6, kind="reference"),
        result("queue", 300, 60, 10, kind="list"),
        result("news_list", 320, 40, 8, kind="light"),
        result("claim", 130, 90, 9),
        result("admin_changelist", 20, 1400, 12, role="admin", kind="reference"),
    ]
    run_benchmark.Command().write(fast, OPTS)
    report = (out / "results.md").read_text()
    assert "NOT met" not in report
    assert "300 vs 20 req/s (15.0×)" in report
