"""Settings come from the environment, fail loudly, and pass Django's deployment checklist.

Each case starts a fresh interpreter: settings are read once per process, at import.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

BASE_DIR = Path(__file__).resolve().parent.parent
SETTINGS_SOURCE = (BASE_DIR / "config" / "settings.py").read_text()

PRODUCTION_LIKE = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "alliances.example.org",
}

# Prints the settings a case looks at, as the configured process sees them.
SHOW_SETTINGS = """
import json
from django.conf import settings
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "database_name": str(settings.DATABASES["default"]["NAME"]),
    "cache": settings.CACHES["default"]["BACKEND"],
    "broker": settings.CELERY_BROKER_URL,
    "email": settings.EMAIL_BACKEND,
}))
"""


def run_django(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Runs Python in the checkout with exactly the given configuration variables."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    clean |= {"DJANGO_SETTINGS_MODULE": "config.settings"} | env
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=clean, capture_output=True, text=True, timeout=60
    )


def test_production_like_settings_pass_the_deploy_checklist() -> None:
    result = run_django(
        "manage.py", "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_LIKE
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_off_without_secret_key_refuses_to_start() -> None:
    result = run_django("manage.py", "check", env=PRODUCTION_LIKE | {"SECRET_KEY": ""})

    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_embedded_defaults_need_no_services() -> None:
    result = run_django("-c", f"import django; django.setup(){SHOW_SETTINGS}", env={"DEBUG": "1"})

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == {
        "engine": "django.db.backends.sqlite3",
        "database_name": str(BASE_DIR / "db.sqlite3"),
        "cache": "django.core.cache.backends.locmem.LocMemCache",
        "broker": "filesystem://",
        "email": "django.core.mail.backends.console.EmailBackend",
    }


def test_service_urls_switch_to_postgres_and_redis() -> None:
    services = {
        "DEBUG": "1",
        "DATABASE_URL": "postgres://keeper@db.internal:5432/alliances",
        "REDIS_URL": "redis://cache.internal:6379/0",
        "EMAIL_URL": "smtp://mail.internal:587",
    }
    # Reading settings opens no connection, so these hosts need not exist.
    result = run_django("-c", f"import django; django.setup(){SHOW_SETTINGS}", env=services)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == {
        "engine": "django.db.backends.postgresql",
        "database_name": "alliances",
        "cache": "django.core.cache.backends.redis.RedisCache",
        "broker": "redis://cache.internal:6379/0",
        "email": "django.core.mail.backends.smtp.EmailBackend",
    }


def compose_services() -> dict[str, dict]:
    return yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())["services"]


@pytest.mark.parametrize("service", ["web", "worker", "beat", "migrate"])
def test_compose_passes_only_variables_the_settings_read(service: str) -> None:
    # Docker does not run on the development machines, so a renamed setting would go unnoticed.
    for name in compose_services()[service]["environment"]:
        assert f'"{name}"' in SETTINGS_SOURCE, f"{service} sets {name}, which settings never read"


def test_compose_runs_exactly_one_beat() -> None:
    # Two beats would enqueue every periodic sweep twice.
    assert compose_services()["beat"]["deploy"]["replicas"] == 1
