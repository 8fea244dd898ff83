"""The scoreboard's pages in process: access rules, login and CSRF, language, search,
live fragments, and hostile input."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lienthong.web.messages import MESSAGES
from lienthong.web.session import COOKIE
from lienthong.web.throttle import PER_ADDRESS, PER_USER
from tests.web_support import PASSWORD

PUBLIC = ["/", "/overview", "/rankings", "/indicators", "/datasets", "/plan", "/reports", "/login"]
TEMPLATES = Path(__file__).resolve().parent.parent / "src/lienthong/web/templates"


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "the form carries a CSRF token"
    return m.group(1)


def login(c: TestClient, username: str, password: str = PASSWORD) -> None:
    token = csrf_of(c.get("/login").text)
    r = c.post("/login", data={"username": username, "password": password, "csrf_token": token,
                               "next": "/datasets"}, follow_redirects=False)  # fmt: skip
    assert r.status_code == 303, r.text
    assert r.headers["location"] == "/datasets"


def test_public_pages_render_for_visitors_with_security_headers(web: TestClient) -> None:
    for path in PUBLIC:
        r = web.get(path)
        assert r.status_code == 200, path
        assert r.headers["content-type"].startswith("text/html")
        assert "script-src 'self'" in r.headers["content-security-policy"]
        assert r.headers["x-frame-options"] == "DENY"
        assert '<html lang="vi">' in r.text
    assert web.get("/static/app.css").status_code == 200


def test_visitors_see_public_data_only(web: TestClient) -> None:
    page = web.get("/datasets").text
    assert "Trạm thu phát sóng BTS" in page
    assert "Hồ sơ dịch vụ công" not in page
    assert "Thẻ bảo hiểm y tế" not in page
    assert web.get("/datasets/ho-so-dvc").status_code == 404
    assert web.get("/datasets/the-bhyt").status_code == 404
    public = web.get("/datasets/tram-bts").text
    assert "BTS0000" in public
    assert "prov-synthetic" in public
    r = web.get("/exchange", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/login?next=/exchange"


def test_members_see_shared_data_masked_and_owners_unmasked(web: TestClient) -> None:
    login(web, "minh")  # a person with no role in the owner organisation
    listing = web.get("/datasets").text
    assert "Hồ sơ dịch vụ công trực tuyến" in listing
    assert "Thẻ bảo hiểm y tế" in listing
    shared = web.get("/datasets/ho-so-dvc").text
    assert "031000000001" not in shared
    assert "0*********01" in shared
    assert "Nguyễn Văn An" not in shared
    restricted = web.get("/datasets/the-bhyt").text
    assert "cần được cơ quan chủ quản cấp quyền" in restricted
    assert web.get("/exchange").status_code == 200

    web.cookies.clear()
    login(web, "lan")  # a viewer in the owner organisation reads it all
    assert "031000000001" in web.get("/datasets/ho-so-dvc").text


def test_login_needs_the_csrf_token_and_the_right_password(web: TestClient) -> None:
    token = csrf_of(web.get("/login").text)
    form = {"username": "lan", "password": PASSWORD, "next": "/"}
    assert web.post("/login", data=form, follow_redirects=False).status_code == 403
    bad = form | {"csrf_token": "forged-" + token}
    assert web.post("/login", data=bad, follow_redirects=False).status_code == 403
    wrong = form | {"csrf_token": token, "password": "sai-mật-khẩu"}
    r = web.post("/login", data=wrong, follow_redirects=False)
    assert r.status_code == 401
    assert "không đúng" in r.text
    unknown = form | {"csrf_token": token, "username": "không-có-ai"}
    assert web.post("/login", data=unknown, follow_redirects=False).status_code == 401
    before = web.cookies.get(COOKIE)
    ok = web.post("/login", data=form | {"csrf_token": token}, follow_redirects=False)
    assert ok.status_code == 303
    assert web.cookies.get(COOKIE) != before  # a new session on login: no fixation
    page = web.get("/").text
    assert "lan" in page
    assert "Đăng xuất" in page
    # logging out is a POST with the (new) token; without it nothing happens
    assert web.post("/logout", data={}, follow_redirects=False).status_code == 403
    assert "Đăng xuất" in web.get("/").text
    out = web.post("/logout", data={"csrf_token": csrf_of(page)}, follow_redirects=False)
    assert out.status_code == 303
    assert "Đăng xuất" not in web.get("/").text


def test_repeated_failed_logins_are_throttled_before_the_password_is_checked(
    web: TestClient,
) -> None:
    token = csrf_of(web.get("/login").text)
    wrong = {"username": "lan", "password": "đoán-thử", "csrf_token": token, "next": "/"}
    for _ in range(PER_USER):
        assert web.post("/login", data=wrong, follow_redirects=False).status_code == 401
    # past the allowance even the right password is refused, with when to come back
    right = wrong | {"password": PASSWORD}
    r = web.post("/login", data=right, follow_redirects=False)
    assert r.status_code == 429
    assert 0 < int(r.headers["Retry-After"]) <= 15 * 60
    assert "quá nhiều lần" in r.text
    assert "Đăng xuất" not in web.get("/").text  # not logged in
    # the count is per username (case-insensitive): another person still logs in
    r = web.post("/login", data=right | {"username": "LAN"}, follow_redirects=False)
    assert r.status_code == 429
    ok = web.post("/login", data=right | {"username": "minh"}, follow_redirects=False)
    assert ok.status_code == 303


def test_failed_logins_from_one_address_are_throttled_across_usernames(
    web: TestClient,
) -> None:
    token = csrf_of(web.get("/login").text)
    for i in range(PER_ADDRESS):
        form = {"username": f"khach-{i}", "password": "x", "csrf_token": token, "next": "/"}
        assert web.post("/login", data=form, follow_redirects=False).status_code == 401
    right = {"username": "minh", "password": PASSWORD, "csrf_token": token, "next": "/"}
    assert web.post("/login", data=right, follow_redirects=False).status_code == 429


def test_the_session_cookie_is_signed_with_sha256(web: TestClient) -> None:
    login(web, "minh")
    value = web.cookies.get(COOKIE)
    assert value
    signature = value.rpartition(".")[2]
    assert len(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))) == 32


def test_a_tampered_session_cookie_is_a_visitor(web: TestClient) -> None:
    login(web, "minh")
    value = web.cookies.get(COOKIE)
    assert value
    web.cookies.set(COOKIE, value[:-3] + ("AAA" if not value.endswith("AAA") else "BBB"))
    assert web.get("/datasets/ho-so-dvc").status_code == 404
    web.cookies.set(COOKIE, "x" * 5000)
    assert web.get("/").status_code == 200


def test_search_ignores_diacritics_and_case(web: TestClient) -> None:
    login(web, "minh")
    for q in ("tram thu phat", "TRẠM", "bts", "hai phong", "ma tram"):
        assert "Trạm thu phát sóng BTS" in web.get("/datasets", params={"q": q}).text, q
    found = web.get("/datasets", params={"q": "bao hiem y te"}).text
    assert "Thẻ bảo hiểm y tế" in found
    assert "Trạm thu phát" not in found
    none = web.get("/datasets", params={"q": "không tồn tại xyz"}).text
    assert "Không có bộ dữ liệu phù hợp" in none


def test_language_switch(web: TestClient) -> None:
    r = web.get("/lang/en", params={"next": "/datasets?q=bts"}, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/datasets?q=bts"
    page = web.get("/datasets?q=bts").text
    assert '<html lang="en">' in page
    assert "Shared data warehouse catalogue" in page
    assert "BTS base stations" in page  # the dataset's own English title
    assert '<html lang="vi">' in web.get("/?lang=vi").text
    assert '<html lang="vi">' in web.get("/").text  # the query choice is remembered


def test_every_message_key_in_the_templates_exists_in_both_languages() -> None:
    used: set[str] = set()
    for path in TEMPLATES.glob("*.html"):
        used |= set(re.findall(r"""_\(["']([a-z_.0-9]+)["']""", path.read_text()))
    # keys built in the template ("cls." ~ name) are checked by the pages' own tests
    missing = sorted(k for k in used if k not in MESSAGES and not k.endswith((".", "_")))
    assert not missing
    assert all(vi and en for vi, en in MESSAGES.values())


def test_live_fragments_render_one_region(web: TestClient) -> None:
    whole = web.get("/").text
    part = web.get("/", params={"_fragment": "figures"}).text
    assert "<html" not in part
    assert 'id="fig-warehouse"' in part
    assert len(part) < len(whole)
    # an unknown block name is not an error: the whole page comes back
    assert "<html" in web.get("/", params={"_fragment": "__init__"}).text


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/datasets?q=<script>alert(1)</script>", 200),
        ("/datasets?q=" + "x" * 300, 422),
        ("/datasets?classification=' OR 1=1 --", 200),
        ("/datasets/..%2f..%2fetc%2fpasswd", 404),
        ("/datasets/UPPER", 422),
        ("/rankings?period=2025-Q4' OR 1=1", 422),
        ("/rankings?indicator=<svg/onload=alert(1)>", 422),
        ("/indicators/NOPE", 404),
        ("/indicators/x;drop", 422),
        ("/reports/quarterly.pdf?quarter=2025-Q5", 422),
        ("/?lang=<script>", 200),
        ("/login?next=javascript:alert(1)", 200),
    ],
)
def test_hostile_query_strings_get_clean_answers(web: TestClient, path: str, status: int) -> None:
    r = web.get(path, follow_redirects=False)
    assert r.status_code == status, r.text[:300]
    assert "<script>alert" not in r.text
    assert "<svg/onload" not in r.text
    assert "Traceback" not in r.text
    if status >= 400 and r.headers["content-type"].startswith("text/html"):
        assert "error-page" in r.text  # a page in the person's language, not problem JSON


@pytest.mark.parametrize(
    "target", ["//evil.example/x", "https://evil.example", "/\\evil", "/ok\r\nX: y"]
)
def test_redirects_never_leave_the_site(web: TestClient, target: str) -> None:
    r = web.get("/lang/en", params={"next": target}, follow_redirects=False)
    assert r.headers["location"] == "/"
    assert 'name="next" value="/"' in web.get("/login", params={"next": target}).text
