"""Production settings refuse what would be unsafe; checked in a fresh interpreter."""

import os
import subprocess
import sys

import pytest


def import_settings(**env):
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import pikassos_portal.settings"],
        env=environment,
        capture_output=True,
        text=True,
        cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))),
        timeout=60,
    )


@pytest.mark.parametrize("key", ["", "short", "django-insecure-" + "x" * 60])
def test_production_refuses_to_start_without_a_real_secret_key(key, tmp_path):
    result = import_settings(DEBUG="False", SECRET_KEY=key, DATABASE_URL="postgres://u@127.0.0.1/x")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_only_postgres_is_accepted():
    result = import_settings(DEBUG="True", DATABASE_URL="sqlite:///db.sqlite3")
    assert result.returncode != 0
    assert "PostgreSQL" in result.stderr


def test_production_starts_with_a_real_key():
    result = import_settings(
        DEBUG="False", SECRET_KEY="k" * 60, DATABASE_URL="postgres://u@127.0.0.1/x"
    )
    assert result.returncode == 0, result.stderr
