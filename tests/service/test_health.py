"""/healthz and /readyz, request ids and structured access logs."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from whatssound_svc import paths
from whatssound_svc.app import create_app
from whatssound_svc.local.processes import free_port
from whatssound_svc.logs import JsonFormatter
from whatssound_svc.settings import Settings


def _client(settings: Settings) -> TestClient:
    return TestClient(create_app(settings))


@pytest.fixture
def settings(fresh_db) -> Settings:  # type: ignore[no-untyped-def]
    # Probes only: no background work (the worker's own start/stop is tested in tests/jobs).
    return Settings(database_url=SecretStr(fresh_db.url()), environment="test", periodic_tasks=False)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with _client(settings) as test_client:
        yield test_client


def test_healthz_answers_without_the_database() -> None:
    down = Settings(
        database_url=SecretStr(f"postgresql://postgres:x@127.0.0.1:{free_port()}/postgres"),
        periodic_tasks=False,
    )
    with _client(down) as client:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_ok_when_the_database_answers_and_migrations_are_current(
    client: TestClient,
) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "current"}


def test_readyz_is_503_with_the_pending_versions(settings: Settings, tmp_path: Path) -> None:
    for migration in paths.MIGRATIONS_DIR.iterdir():
        (tmp_path / migration.name).symlink_to(migration.resolve())
    (tmp_path / "29990101000000_future-change.sql").write_text("select 1;")
    with _client(settings.model_copy(update={"migrations_dir": tmp_path})) as client:
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["migrations"] == "pending"
    assert response.json()["pending"] == ["29990101000000"]


def test_readyz_is_503_when_the_database_is_unreachable() -> None:
    down = Settings(
        database_url=SecretStr(f"postgresql://postgres:x@127.0.0.1:{free_port()}/postgres"),
        periodic_tasks=False,
    )
    with _client(down) as client:
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable"}


def test_request_ids_are_echoed_or_generated(client: TestClient) -> None:
    assert client.get("/healthz", headers={"x-request-id": "abc-123"}).headers["x-request-id"] == "abc-123"
    generated = client.get("/healthz").headers["x-request-id"]
    assert len(generated) == 32
    too_long = client.get("/healthz", headers={"x-request-id": "x" * 500}).headers["x-request-id"]
    assert too_long != "x" * 500


def test_each_request_is_logged_as_json_with_its_request_id(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="whatssound_svc.app"):
        client.get("/healthz", headers={"x-request-id": "req-42"})
    [record] = [r for r in caplog.records if r.name == "whatssound_svc.app" and r.msg == "%s %s %s"]
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "req-42"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/healthz", 200)
    assert line["level"] == "info"
    assert isinstance(line["duration_ms"], float)
