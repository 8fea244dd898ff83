"""Monitoring: the evidence writer's counters behind /metrics and the stats."""

from __future__ import annotations

import time

from prometheus_client.parser import text_string_to_metric_families

from lienthong.audit.service import Auditor
from lienthong.core.platform import Platform
from lienthong.exchange.evidence import Exchange, write_batch
from lienthong.exchange.metrics import percentile
from lienthong.web.sources.exchange import volume_figure
from tests.exchange_peers import harness as h
from tests.utils import auth, grant, make_member, make_subsystem, make_user, ok, user_key

SVC = "VN/COM/0200236845/TOS/containers"


def _ex(status: int, ms: float, service: str = SVC, error: str | None = None) -> Exchange:
    return Exchange(
        at=time.time(),
        method="GET",
        service=service,
        status=status,
        duration_ms=ms,
        xroad_id="x",
        request_id="r",
        known_service=service == SVC,
        audit=False,
        bytes_out=100,
        error=error,
    )


def test_metrics_and_stats_from_the_counters(platform: Platform, admin_token: str) -> None:
    assert isinstance(platform.audit, Auditor)
    batch = [_ex(200, 3.0) for _ in range(90)] + [_ex(404, 30.0) for _ in range(5)]
    batch += [_ex(502, 700.0, error="Server.ServerProxy.ServiceFailed") for _ in range(5)]
    batch += [_ex(400, 1.0, service="garbage", error="Client.BadRequest")]
    with platform.store.write() as conn:
        write_batch(conn, platform.audit, batch[:50])
    with platform.store.write() as conn:
        write_batch(conn, platform.audit, batch[50:])  # counters add up across batches

    api = h.api(platform)
    text = api.get("/metrics").text
    families = {f.name: f for f in text_string_to_metric_families(text)}
    req = {
        s.labels["service"]: s.value
        for s in families["lienthong_exchange_requests"].samples
        if s.name.endswith("_total")
    }
    assert req == {SVC: 100, "(unknown)": 1}
    errors = {
        (s.labels["service"], s.labels["kind"]): s.value
        for s in families["lienthong_exchange_errors"].samples
        if s.name.endswith("_total")
    }
    assert errors[(SVC, "client")] == 5
    assert errors[(SVC, "server")] == 5
    assert errors[(SVC, "gateway")] == 5
    buckets = {
        s.labels["le"]: s.value
        for s in families["lienthong_exchange_duration_seconds"].samples
        if s.name.endswith("_bucket") and s.labels["service"] == SVC
    }
    assert buckets["0.005"] == 90
    assert buckets["0.05"] == 95
    assert buckets["+Inf"] == 100

    stats = ok(api.get("/api/v1/exchange/stats?minutes=5", headers=auth(admin_token)))
    svc = next(s for s in stats["services"] if s["service"] == SVC)
    assert svc["requests"] == 100
    assert svc["error_rate"] == 0.1
    assert svc["server_error_rate"] == 0.05
    assert svc["latency_ms"]["p50"] <= 5
    assert 500 <= svc["latency_ms"]["p99"] <= 1000
    # an org admin sees the stats of their own organisation's services only
    make_member(api, admin_token, {"member_class": "GOV", "member_code": "H31", "name": "UBND"})
    make_member(
        api, admin_token, {"member_class": "COM", "member_code": "0200236845", "name": "Cảng"}
    )
    make_subsystem(api, admin_token, "COM/0200236845", "TOS")
    make_user(api, admin_token, "an")
    grant(api, admin_token, "an", "org_admin", "GOV/H31")
    an = user_key(api, admin_token, "an")
    assert ok(api.get("/api/v1/exchange/stats", headers=auth(an)))["services"] == []


def test_percentile_interpolates_within_buckets() -> None:
    counts = [0] * 12
    counts[3] = 100  # all between 25 and 50 ms
    assert percentile(counts, 0.5) == 37.5
    assert percentile([0] * 12, 0.5) is None


def test_late_minutes_count_in_their_own_hour(platform: Platform) -> None:
    """A request at :45 belongs to that hour on both back ends (true division would round it
    into the next one on PostgreSQL)."""
    assert isinstance(platform.audit, Auditor)
    hour = int(time.time() // 3600) * 3600
    late = [_ex(200, 2.0) for _ in range(3)]
    for ex in late:
        ex.at = hour - 2 * 3600 + 45 * 60 + 30  # two hours ago, at :45:30
    with platform.store.write() as conn:
        write_batch(conn, platform.audit, late)
    figure = volume_figure(platform)
    assert figure is not None
    values = [p.value for p in figure.series]
    assert len(values) == 24
    assert values[-3] == 3
    assert sum(values) == 3
