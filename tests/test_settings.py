"""Start-up reads its settings from the environment and stops on bad values."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent


def start(**env):
    """Load the production settings in a fresh interpreter with this environment."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DEBUG", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import config.settings as s; print(s.DATABASES['default']['ENGINE'])",
        ],
        cwd=PROJECT,
        env={**clean, **env},
        capture_output=True,
        text=True,
    )


def test_missing_secret_key_stops_start_up_with_a_clear_message():
    result = start()

    assert result.returncode != 0
    assert (
        "The environment variable SECRET_KEY is required but not set." in result.stderr
    )


def test_development_mode_runs_without_a_secret_key():
    result = start(DEBUG="1")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.sqlite3"


def test_unreadable_boolean_stops_start_up():
    result = start(DEBUG="maybe", SECRET_KEY="x" * 50)

    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


@pytest.mark.parametrize(
    ("url", "engine"),
    [
        ("postgres://crm:pw@127.0.0.1:5432/crm", "django.db.backends.postgresql"),
        ("sqlite:////tmp/crm.sqlite3", "django.db.backends.sqlite3"),
    ],
)
def test_database_url_chooses_the_engine(url, engine):
    result = start(SECRET_KEY="x" * 50, DATABASE_URL=url)

    assert result.stdout.strip() == engine, result.stderr
