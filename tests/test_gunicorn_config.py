"""gunicorn.conf.py as gunicorn reads it (issue 18)."""

import gc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def config():
    values = {}
    exec((ROOT / "gunicorn.conf.py").read_text(), values)  # our own file, as gunicorn reads it
    return values


def test_a_worker_leaves_what_it_loaded_out_of_the_garbage_collectors_walks():
    assert gc.get_freeze_count() == 0
    try:
        config()["post_worker_init"](worker=None)
        # Everything alive once the portal is loaded: a full collection skips it.
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()


def test_one_sync_worker_of_one_thread_per_core_unless_the_environment_says(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "5")
    monkeypatch.setenv("GUNICORN_THREADS", "2")
    assert (config()["workers"], config()["threads"]) == (5, 2)
    monkeypatch.delenv("WEB_CONCURRENCY")
    monkeypatch.delenv("GUNICORN_THREADS")
    assert config()["threads"] == 1 and config()["workers"] >= 1
