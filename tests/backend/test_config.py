"""Configuration and contract: OpenAPI schema, ``check --deploy`` on production settings, health."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command

BACKEND = Path(__file__).resolve().parents[2] / "backend"


@pytest.mark.django_db
def test_openapi_schema_generates_without_warnings(tmp_path: Path, capsys: Any) -> None:
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(out), "--validate", "--fail-on-warn")
    schema = yaml.safe_load(out.read_text())
    paths = schema["paths"]
    for path in ["/api/analyses/", "/api/analyses/{id}/", "/api/analyses/batch/", "/api/tracks/",
                 "/api/tracks/{id}/", "/api/artists/", "/api/genres/", "/api/genres/{slug}/"]:
        assert path in paths, path
    assert "delete" in paths["/api/analyses/{id}/"]


@pytest.mark.django_db
def test_schema_and_docs_are_served(anon: Any) -> None:
    assert anon.get("/api/schema/").status_code == 200
    assert anon.get("/api/docs/").status_code == 200


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=BACKEND, env=env,
                           capture_output=True, text=True, timeout=120, check=False)


def _production_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GENRELENS_"))}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.production",
               DJANGO_SECRET_KEY="k" * 20 + "-production-only-" + "q" * 30,
               DJANGO_ALLOWED_HOSTS="genrelens.example.org", GENRELENS_VAR_DIR=str(tmp_path),
               PYTHONPATH=os.pathsep.join(sys.path))
    return env


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    done = _manage("check", "--deploy", "--fail-level", "WARNING",
                   env=_production_env(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_secrets(tmp_path: Path, missing: str) -> None:
    env = _production_env(tmp_path)
    del env[missing]
    done = _manage("check", env=env)
    assert done.returncode != 0
    assert missing in done.stderr


def test_wsgi_application_freezes_the_heap_with_the_views_loaded(tmp_path: Path) -> None:
    """The start-up heap, views included, is out of the collector's sight (config.wsgi)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GENRELENS_"))}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.base", GENRELENS_VAR_DIR=str(tmp_path),
               PYTHONPATH=os.pathsep.join(sys.path))
    probe = ("import gc, sys; import config.wsgi; "
             "print(gc.get_freeze_count(), 'catalog.apis' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", probe], cwd=BACKEND, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    frozen, views_loaded = done.stdout.split()
    assert int(frozen) > 50_000
    assert views_loaded == "True"


def test_service_processes_run_numpy_and_the_networks_on_one_thread(tmp_path: Path) -> None:
    """A worker process is one analysis on one core (config.celery, before numpy loads)."""
    from genrelens.runtime import THREAD_ENV

    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "GENRELENS_")) and k not in THREAD_ENV}
    env.update(GENRELENS_VAR_DIR=str(tmp_path), PYTHONPATH=os.pathsep.join(sys.path))
    probe = ("import config, numpy, threadpoolctl, genrelens.runtime as r; "
             "print(max(i['num_threads'] for i in threadpoolctl.threadpool_info()), "
             "r.inference_threads())")
    done = subprocess.run([sys.executable, "-c", probe], cwd=BACKEND, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["1", "1"]
    # Without the service's settings the CLI keeps its two network threads.
    bare = subprocess.run([sys.executable, "-c", "import genrelens.runtime as r; "
                           "print(r.inference_threads())"], env=env, capture_output=True,
                          text=True, timeout=60, check=False)
    assert bare.stdout.strip() == "2"


@pytest.mark.django_db
def test_ready_with_embedded_broker(anon: Any) -> None:
    response = anon.get("/api/health/ready")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else bytes(response.content)


def test_built_front_end_is_served_at_the_root(tmp_path: Path) -> None:
    from django.test import override_settings
    from rest_framework.test import APIClient

    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><div id=root>GenreLens app</div>")
    (tmp_path / "assets" / "app-1234.js").write_text("console.log('genrelens')")
    with override_settings(FRONTEND_DIST=tmp_path, WHITENOISE_ROOT=tmp_path):
        browser = APIClient()  # a new client builds the middleware with these settings
        for path in ["/", "/library", "/analyses/abc", "/genres/deep-house"]:
            response = browser.get(path)
            assert response.status_code == 200 and b"GenreLens app" in _body(response), path
        script = browser.get("/assets/app-1234.js")
        assert script.status_code == 200
        assert b"".join(script.streaming_content) == b"console.log('genrelens')"


def test_front_end_routes_serve_the_app(anon: Any) -> None:
    for path in ["/", "/library", "/genres/deep-house", "/analyses/abc", "/artists/3"]:
        response = anon.get(path)
        assert response.status_code == 200, path
        assert b"GenreLens" in _body(response)


def test_unknown_api_path_is_json_404(anon: Any) -> None:
    response = anon.get("/api/nothing-here/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.django_db
def test_the_session_runs_in_the_mode_it_was_given() -> None:
    from django.conf import settings
    from django.db import connection

    service = bool(os.environ.get("GENRELENS_TEST_DATABASE_URL"))
    assert connection.vendor == ("postgresql" if service else "sqlite")
    assert settings.CELERY_BROKER_URL.startswith("redis://" if service else "filesystem://")


@pytest.mark.django_db
def test_models_and_migrations_agree() -> None:
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db
def test_admin_needs_a_staff_login(anon: Any) -> None:
    response = anon.get("/admin/analyses/analysis/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
