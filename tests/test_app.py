"""The app's shared conventions: health, docs, problem+json, request ids, logs."""

from __future__ import annotations

import json
import logging

import pytest
from fastapi.testclient import TestClient

from lienthong.core.logs import JsonFormatter
from tests.utils import auth


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready"


def test_readiness_reports_pending_migrations(client: TestClient) -> None:
    from sqlalchemy import text

    store = client.app.state.platform.store  # type: ignore[attr-defined]
    with store.write() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0000'"))
    resp = client.get("/readyz")
    assert resp.status_code == 503
    assert resp.json()["database"] == "migrations pending"


def test_openapi_and_docs(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["info"]["title"] == "lienthong"
    for path in ("/api/v1/members", "/api/v1/keys", "/api/v1/audit", "/healthz"):
        assert path in spec["paths"]
    assert client.get("/docs").status_code == 200


def test_unknown_route_is_problem_json(client: TestClient) -> None:
    resp = client.get("/api/v1/nothing-here")
    assert resp.status_code == 404
    assert resp.headers["content-type"] == "application/problem+json"
    assert resp.json()["status"] == 404


def test_request_id_is_echoed_or_made(client: TestClient) -> None:
    resp = client.get("/healthz", headers={"X-Request-Id": "abc123"})
    assert resp.headers["x-request-id"] == "abc123"
    made = client.get("/healthz").headers["x-request-id"]
    assert len(made) == 32


def test_error_problem_carries_request_id(client: TestClient, admin_token: str) -> None:
    resp = client.get(
        "/api/v1/members/GOV/H99", headers=auth(admin_token) | {"X-Request-Id": "r-1"}
    )
    assert resp.status_code == 404
    assert resp.json()["request_id"] == "r-1"
    assert resp.json()["detail"] == "member VN/GOV/H99 does not exist"


def test_access_log_is_structured(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="lienthong.http"):
        client.get("/healthz", headers={"X-Request-Id": "log-1"})
    record = next(r for r in caplog.records if r.name == "lienthong.http")
    line = json.loads(JsonFormatter().format(record))
    assert line["path"] == "/healthz"
    assert line["status"] == 200
    assert line["method"] == "GET"
    assert line["request_id"] == "log-1"
    assert "duration_ms" in line
