"""Helpers for the scoreboard's tests: the app with its pages, seed data, a live server
and headless Chromium (Debian's, driven by Playwright)."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from lienthong.app import create_app
from lienthong.core.platform import Platform
from lienthong.web.router import router as web_router
from lienthong.web.router import static_files
from tests.utils import auth, grant, make_member, make_user, ok

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "mật-khẩu-thử-nghiệm-2025"
# every generated row below is synthetic, and its dataset says so with this tag
SYNTHETIC = "synthetic"


def build_app(platform: Platform) -> FastAPI:
    """The app as app.py will assemble it: the scoreboard's pages own `/`."""
    app = create_app(platform=platform)
    app.router.routes = [r for r in app.router.routes if getattr(r, "path", None) != "/"]
    app.include_router(web_router)
    with contextlib.suppress(ImportError):
        from lienthong.reports.api import router as reports_router

        app.include_router(reports_router)
    app.mount("/static", static_files(), name="static")
    return app


SCHEMA_DOSSIERS: dict[str, Any] = {
    "fields": [
        {"name": "ma_ho_so", "type": "string", "title": "Mã hồ sơ"},
        {"name": "thu_tuc", "type": "string", "title": "Thủ tục"},
        {"name": "xa_phuong", "type": "string", "title": "Xã, phường"},
        {"name": "nguoi_nop", "type": "string", "title": "Người nộp", "personal": True},
        {"name": "so_cccd", "type": "string", "title": "Số CCCD", "personal": True},
        {"name": "truc_tuyen", "type": "boolean", "title": "Nộp trực tuyến"},
    ],
    "primaryKey": ["ma_ho_so"],
}
SCHEMA_BTS: dict[str, Any] = {
    "fields": [
        {"name": "ma_tram", "type": "string", "title": "Mã trạm"},
        {"name": "cong_nghe", "type": "string", "title": "Công nghệ"},
        {"name": "xa_phuong", "type": "string", "title": "Xã, phường"},
    ],
    "primaryKey": ["ma_tram"],
}
PLACES = ["Thuỷ Nguyên", "Kiến An", "Đồ Sơn", "Hải Dương", "Lê Chân", "Ngô Quyền"]
NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Quốc Cường", "Phạm Thị Dung", "Đặng Minh Đức"]


def dossier(i: int) -> dict[str, Any]:
    return {
        "ma_ho_so": f"HS{i:06d}",
        "thu_tuc": ["Đăng ký khai sinh", "Cấp phép xây dựng", "Đăng ký kinh doanh"][i % 3],
        "xa_phuong": PLACES[i % len(PLACES)],
        "nguoi_nop": NAMES[i % len(NAMES)],
        "so_cccd": f"031{i:09d}",
        "truc_tuyen": i % 10 != 0,
    }


def seed_catalog(client: TestClient, admin: str, rows: int = 40) -> None:
    """A member, a staff user with a password, and three synthetic datasets."""
    make_member(client, admin)
    make_user(client, admin, "lan", password=PASSWORD, full_name="Nguyễn Thị Lan")
    grant(client, admin, "lan", "viewer", "GOV/H31")
    make_user(client, admin, "minh", password=PASSWORD, full_name="Trần Văn Minh")
    specs = [
        (
            "ho-so-dvc",
            "Hồ sơ dịch vụ công trực tuyến",
            "Online public-service dossiers",
            "shared",
            SCHEMA_DOSSIERS,
        ),
        ("tram-bts", "Trạm thu phát sóng BTS", "BTS base stations", "public", SCHEMA_BTS),
        (
            "the-bhyt",
            "Thẻ bảo hiểm y tế theo CCCD",
            "Health insurance cards by citizen ID",
            "restricted",
            SCHEMA_DOSSIERS,
        ),
    ]
    for name, title, title_en, cls, schema in specs:
        body = {
            "name": name,
            "owner": "GOV/H31",
            "title": title,
            "title_en": title_en,
            "description": f"{title} của thành phố Hải Phòng (dữ liệu giả lập để kiểm thử).",
            "classification": cls,
            "tags": [SYNTHETIC, "Hải Phòng"],
            "update_frequency": "daily",
            "schema": schema,
        }
        ok(client.post("/api/v1/datasets", json=body, headers=auth(admin)), 201)
    add_dossiers(client, admin, 0, rows)
    bts = [
        {"ma_tram": f"BTS{i:04d}", "cong_nghe": ["4G", "5G"][i % 2], "xa_phuong": PLACES[i % 6]}
        for i in range(rows // 2)
    ]
    ok(client.post("/api/v1/datasets/tram-bts/records", json={"records": bts}, headers=auth(admin)))


def add_dossiers(client: TestClient, admin: str, start: int, count: int) -> Any:
    records = [dossier(i) for i in range(start, start + count)]
    url = "/api/v1/datasets/ho-so-dvc/records"
    return ok(client.post(url, json={"records": records}, headers=auth(admin)))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def live_server(app: FastAPI) -> Iterator[str]:
    """A real uvicorn server on a free loopback port, in a thread; yields its base URL."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


# --- indicator values -------------------------------------------------------------------
# The engine's output table filled with generated values, under the source name
# "synthetic": the pages must label every one of them synthetic.
SYNTHETIC_SOURCE = "synthetic"
QUARTERS = [f"{y}-Q{q}" for y in (2024, 2025) for q in (1, 2, 3, 4)]


def load_units(platform: Platform) -> int:
    """The administrative units from the installed package (tables made if no migration yet)."""
    from lienthong.core.db import metadata
    from lienthong.units import loader
    from lienthong.units import schema as units_schema

    tables = [t for t in metadata.sorted_tables if t.name.startswith("unit")]
    assert units_schema.units in tables
    metadata.create_all(platform.store.engine, tables=tables, checkfirst=True)
    loader.load_platform(platform)
    from lienthong.web.sources import places

    with platform.store.read() as conn:
        return len(places.communes(conn, "31"))


def seed_values(platform: Platform) -> None:
    """Quarterly dossier shares for Hải Phòng and its communes, a yearly digital-economy
    share and DTI main indices for every province: all generated, all labelled synthetic."""
    import random
    from datetime import UTC, datetime

    from sqlalchemy import insert

    from lienthong.indicators.schema import ind_values
    from lienthong.web.sources import places

    rnd = random.Random(31)  # noqa: S311  (deterministic demo numbers, not secrets)
    at = datetime(2025, 12, 31, 17, 0, tzinfo=UTC)
    rows: list[dict[str, Any]] = []

    def add(dx: str, ou: str, pe: str, value: float, num: float | None = None,
            den: float | None = None) -> None:  # fmt: skip
        rows.append({"dx": dx, "ou": ou, "pe": pe, "source": SYNTHETIC_SOURCE, "value": value,
                     "numerator": num, "denominator": den, "estimated": False,
                     "computed_at": at})  # fmt: skip

    with platform.store.read() as conn:
        communes = list(places.communes(conn, "31"))
        provinces = list(places.provinces(conn))
    for i, pe in enumerate(QUARTERS):
        tot_n = tot_d = 0.0
        for c in communes:
            den = float(rnd.randint(400, 2400))
            num = round(den * min(0.98, 0.45 + 0.04 * i + rnd.uniform(-0.12, 0.2)))
            add("TTHC_TL_TOAN_TRINH", c, pe, round(100 * num / den, 2), num, den)
            tot_n, tot_d = tot_n + num, tot_d + den
        add("TTHC_TL_TOAN_TRINH", "31", pe, round(100 * tot_n / tot_d, 2), tot_n, tot_d)
    for year, share in (
        ("2021", 6.0),
        ("2022", 8.4),
        ("2023", 10.9),
        ("2024", 13.2),
        ("2025", 15.8),
    ):
        add("KTS_TY_TRONG", "31", year, share)
    pillars = ["DTI922_CQS", "DTI922_KTS", "DTI922_XHS"]
    for p in provinces:
        mains = [round(rnd.uniform(0.45, 0.92), 4) for _ in pillars]
        for code, v in zip(pillars, mains, strict=True):
            add(code, p, "2025", v)
        add("DTI922", p, "2025", round(sum(mains) / len(mains), 4))
    with platform.store.write() as conn:
        conn.execute(insert(ind_values), rows)
