"""The scoreboard on the demo itself, in real headless Chromium: the demo's chain (units,
every pack at 0.01×, the plans, the articles' reported figures, the port community, the
indicators) behind a live server; every page a newcomer would open loads without console
errors and shows the demo's data; a tick of synthetic traffic reaches the exchange monitor.
Screenshots go to test-artifacts/ (web-demo-*.png). Everything shown is synthetic or an
article's figure with its source."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import pytest

from lienthong.core.auth import local_operator
from lienthong.core.platform import Platform
from lienthong.core.timeutil import VIETNAM
from lienthong.demo import load as demo
from lienthong.demo import plans, port, reporting
from lienthong.demo.setup import demo_login
from lienthong.demo.traffic import Traffic
from lienthong.indicators import compute
from lienthong.registry.auth import init_platform
from lienthong.units import loader as units_loader
from tests.test_web_browser import shot, watch
from tests.web_support import CHROMIUM, build_app, live_server

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(shutil.which(CHROMIUM) is None, reason="Debian's chromium is not installed"),
]
PAGES = [
    "/",
    "/rankings",
    "/rankings?indicator=CANG_TL_THU_TUC_SO",
    "/indicators",
    "/indicators/KTS_TY_TRONG",
    "/indicators/TTHC_TL_SO_HOA",
    "/indicators/CANG_TL_THU_TUC_SO",
    "/datasets",
    "/datasets/cang-thu-tuc",
    "/datasets/dvc-ho-so-thu-tuc-hanh-chinh",
    "/plan",
    "/plan/ct-cds-2022-2023",
    "/plan/kh-cds-2024?status=overdue",
    "/reports",
    "/exchange",
]


@pytest.fixture
def demo_site(platform: Platform) -> Iterator[tuple[str, str, Platform]]:
    actor = local_operator("demo")
    with platform.store.write() as conn:
        init_platform(conn, platform.audit, "VN", "admin", "Quản trị", "test")
        units_loader.load(conn, platform.audit, "test")
    demo.load(platform, actor, scale=0.01)
    plans.seed(platform, actor, date.today())
    reporting.report(platform, actor)
    password = demo_login(platform)
    compute.compute_all(platform.store)
    with live_server(build_app(platform)) as base:
        port.setup(platform, actor, base)
        yield base, password, platform


def test_the_demo_in_chromium(demo_site: tuple[str, str, Platform], browser: Any) -> None:
    base, password, platform = demo_site
    Traffic(platform, base, rows=5).tick()  # one exchange through the gateway, 5 dossiers
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    page = ctx.new_page()
    errors = watch(page)
    page.goto(base + "/login")
    page.fill("#username", "demo")
    page.fill("#password", password)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(base + "/")
    for path in PAGES:
        response = page.goto(base + path)
        assert response is not None
        assert response.status == 200, path
        page.wait_for_timeout(200)
        name = path.strip("/").replace("/", "-").replace("?", "-").replace("=", "-")
        shot(page, f"demo-{name or 'overview'}")
        if path == "/":
            # the GRDP card: the article's 6% (2021), labelled as reported, beside its target
            de = page.locator("#fig-de_share").inner_text()
            assert "6" in de
            assert "10" in de
            assert "no data" not in de.lower()
            portal = page.locator("#fig-portal_services").inner_text()
            assert "81" in portal
            # the DTI says over how many of the 98 components it is measured
            dti = page.locator("#fig-dti").inner_text()
            assert re.search(r"Tính trên \d+ thành phần .* 98 thành phần", dti), dti
        if path == "/datasets":
            assert "cang-thu-tuc" in page.content()
            assert "mô phỏng" in page.content()  # synthetic, said so
        if path == "/exchange":
            assert "ports" in page.inner_text("main")  # the TOS service with its traffic
            # the hourly chart: 24 hours up to now in Vietnam's time, the exchange in the last
            hours = page.locator("svg.chart circle.pt title").all_text_contents()
            assert len(hours) == 24
            now = datetime.now(VIETNAM).strftime("%H:00")
            assert hours[-1].endswith(f"{now}: 1"), hours[-1]
            assert len({h.split(" · ")[1].split(":")[0] for h in hours}) == 24
    assert errors == [], errors
    ctx.close()
