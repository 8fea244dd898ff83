"""Periods: codes, containment, roll-ups and DHIS2-style relative periods; the periods API."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from lienthong.app import create_app
from lienthong.core.errors import ValidationFailed
from lienthong.core.platform import Platform
from lienthong.units import periods
from lienthong.units.api import router
from lienthong.units.periods import Period, contains, of, parse, relative, rollup, shift, within

DAY = date(2025, 11, 23)  # a Sunday in the fourth quarter


def codes(ps: list[Period]) -> list[str]:
    return [p.code for p in ps]


@pytest.mark.parametrize(
    ("code", "kind", "start", "end"),
    [
        ("2025-11-23", "day", date(2025, 11, 23), date(2025, 11, 23)),
        ("2025-11", "month", date(2025, 11, 1), date(2025, 11, 30)),
        ("2024-02", "month", date(2024, 2, 1), date(2024, 2, 29)),
        ("2025-02", "month", date(2025, 2, 1), date(2025, 2, 28)),
        ("2025-Q4", "quarter", date(2025, 10, 1), date(2025, 12, 31)),
        ("2025-Q1", "quarter", date(2025, 1, 1), date(2025, 3, 31)),
        ("2025", "year", date(2025, 1, 1), date(2025, 12, 31)),
    ],
)
def test_parse_canonical_codes(code: str, kind: str, start: date, end: date) -> None:
    assert parse(code) == Period(code, kind, start, end)


@pytest.mark.parametrize(
    ("given_code", "canonical"),
    [
        ("20251123", "2025-11-23"),
        ("202511", "2025-11"),
        ("2025Q4", "2025-Q4"),
        ("2025-q4", "2025-Q4"),
    ],
)
def test_parse_reads_dhis2_forms_and_answers_canonically(given_code: str, canonical: str) -> None:
    assert parse(given_code).code == canonical


@pytest.mark.parametrize(
    ("bad", "says"),
    [
        ("", "is not a period code"),
        ("2025-13", "there is no month 13"),
        ("2025-00", "there is no month 00"),
        ("2025-02-30", "is not a date"),
        ("2025-Q5", "is not a period code"),
        ("2025-W47", "is not a period code"),
        ("25-11", "is not a period code"),
        ("1899", "between 1900 and 2100"),
        ("2025-11-23T00:00", "is not a period code"),
        ("'; DROP TABLE units; --", "is not a period code"),
        ("2025" * 1000, "is not a period code"),
        ("٢٠٢٥", "is not a period code"),  # Arabic-Indic digits: \d would take them
    ],
)
def test_parse_refuses_what_is_not_a_period(bad: str, says: str) -> None:
    with pytest.raises(ValidationFailed, match=says) as caught:
        parse(bad)
    assert caught.value.errors["period"]
    assert len(caught.value.message) < 200  # a huge input is not echoed back whole


def test_of_each_kind() -> None:
    assert [of(k, DAY).code for k in periods.KINDS] == ["2025-11-23", "2025-11", "2025-Q4", "2025"]
    assert of("quarter", date(2025, 6, 30)).code == "2025-Q2"
    assert of("quarter", date(2025, 7, 1)).code == "2025-Q3"
    with pytest.raises(ValidationFailed, match="'week' is not a period kind"):
        of("week", DAY)


def test_contains_and_rollup() -> None:
    assert contains(parse("2025"), parse("2025-Q4"))
    assert contains(parse("2025-Q4"), parse("2025-11-23"))
    assert contains(parse("2025-11"), parse("2025-11"))
    assert not contains(parse("2025-11"), parse("2025-Q4"))
    assert not contains(parse("2024"), parse("2025-01"))
    assert rollup("2025-11", "quarter") == parse("2025-Q4")
    assert rollup("2025-11-23", "year") == parse("2025")
    assert rollup("2025-Q4", "quarter") == parse("2025-Q4")
    with pytest.raises(ValidationFailed, match="a quarter cannot roll up to a month"):
        rollup("2025-Q4", "month")


def test_within_and_shift() -> None:
    assert codes(within(parse("2025-Q4"), "month")) == ["2025-10", "2025-11", "2025-12"]
    assert len(within(parse("2024"), "day")) == 366
    assert codes(within(parse("2025"), "quarter")) == [f"2025-Q{i}" for i in range(1, 5)]
    with pytest.raises(ValidationFailed, match="not made of years"):
        within(parse("2025-Q4"), "year")
    assert shift(parse("2025-Q1"), -1).code == "2024-Q4"
    assert shift(parse("2025-12"), 1).code == "2026-01"
    assert shift(parse("2024-02-28"), 2).code == "2024-03-01"
    assert shift(parse("2025"), -5).code == "2020"
    with pytest.raises(ValidationFailed, match="leaves the calendar"):
        shift(parse("2025"), 10**9)


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("THIS_MONTH", ["2025-11"]),
        ("LAST_MONTH", ["2025-10"]),
        ("THIS_QUARTER", ["2025-Q4"]),
        ("LAST_QUARTER", ["2025-Q3"]),
        ("THIS_YEAR", ["2025"]),
        ("LAST_YEAR", ["2024"]),
        ("LAST_4_QUARTERS", ["2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3"]),
        ("LAST_5_YEARS", ["2020", "2021", "2022", "2023", "2024"]),
        ("TODAY", ["2025-11-23"]),
        ("YESTERDAY", ["2025-11-22"]),
        ("LAST_3_DAYS", ["2025-11-20", "2025-11-21", "2025-11-22"]),
        ("QUARTERS_LAST_YEAR", ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"]),
        ("last_quarter", ["2025-Q3"]),  # case does not matter
    ],
)
def test_relative_periods_oldest_first(spec: str, expected: list[str]) -> None:
    assert codes(relative(spec, DAY)) == expected


def test_relative_periods_cross_year_boundaries() -> None:
    new_year = date(2025, 1, 1)
    assert codes(relative("LAST_12_MONTHS", DAY)) == [
        "2024-11", "2024-12", *(f"2025-{m:02d}" for m in range(1, 11))
    ]  # fmt: skip
    assert codes(relative("LAST_12_MONTHS", new_year))[::11] == ["2024-01", "2024-12"]
    assert codes(relative("LAST_QUARTER", new_year)) == ["2024-Q4"]
    assert codes(relative("LAST_4_QUARTERS", new_year)) == [f"2024-Q{i}" for i in range(1, 5)]
    assert codes(relative("LAST_MONTH", new_year)) == ["2024-12"]
    assert len(relative("MONTHS_THIS_YEAR", DAY)) == 12  # the whole year, future months too


@pytest.mark.parametrize(
    ("spec", "says"),
    [
        ("LAST_0_MONTHS", "is not a relative period"),
        ("NEXT_YEAR", "is not a relative period"),
        ("LAST_4_WEEKS", "is not a relative period"),
        ("LAST_500_YEARS", "at most 100 years back"),
        ("", "is not a relative period"),
        ("LAST_4_QUARTERS; DROP TABLE units", "is not a relative period"),
    ],
)
def test_relative_refuses_unknown_specs(spec: str, says: str) -> None:
    with pytest.raises(ValidationFailed, match=says):
        relative(spec, DAY)


days = st.dates(min_value=date(1901, 1, 1), max_value=date(2099, 12, 31))
kinds = st.sampled_from(periods.KINDS)


@given(day=days, kind=kinds)
def test_any_day_lies_in_its_period_whose_code_parses_back(day: date, kind: str) -> None:
    p = of(kind, day)
    assert p.start <= day <= p.end
    assert parse(p.code) == p
    assert contains(rollup(p.code, "year"), p)


@given(day=days, kind=kinds)
def test_consecutive_periods_tile_the_calendar(day: date, kind: str) -> None:
    p = of(kind, day)
    assert shift(p, 1).start == p.end + timedelta(days=1)
    assert shift(shift(p, 1), -1) == p
    assert sum(d.days for d in within(of("year", day), kind)) == of("year", day).days


# --- API (periods need no data, but the app needs a platform: SQLite and PostgreSQL) ---


@pytest.fixture
def api(platform: Platform) -> TestClient:
    app = create_app(platform=platform)
    app.include_router(router)
    return TestClient(app, raise_server_exceptions=False)


def test_period_endpoints(api: TestClient) -> None:
    got = api.get("/api/v1/periods/2025-11")
    assert got.status_code == 200, got.text
    assert got.json() == {
        "code": "2025-11",
        "kind": "month",
        "start": "2025-11-01",
        "end": "2025-11-30",
        "days": 30,
        "rollups": {"quarter": "2025-Q4", "year": "2025"},
    }
    listed = api.get(
        "/api/v1/periods", params={"relative": "LAST_4_QUARTERS", "today": "2025-11-23"}
    )
    assert listed.status_code == 200, listed.text
    body = listed.json()
    assert [p["code"] for p in body["periods"]] == ["2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3"]
    assert body["today"] == "2025-11-23"
    default = api.get("/api/v1/periods", params={"relative": "THIS_YEAR"}).json()
    assert default["periods"][0]["code"] == str(periods.vietnam_today().year)


@pytest.mark.parametrize(
    ("url", "status", "says"),
    [
        ("/api/v1/periods/2025-13", 422, "there is no month 13"),
        ("/api/v1/periods/2025-W47", 422, "is not a period code"),
        ("/api/v1/periods/" + "9" * 200, 422, "at most 16 characters"),
        ("/api/v1/periods?relative=NEXT_DECADE", 422, "is not a relative period"),
        ("/api/v1/periods", 422, "relative"),
        ("/api/v1/periods?relative=THIS_YEAR&today=2025-02-30", 422, "today"),
    ],
)
def test_period_endpoints_refuse_bad_input(
    api: TestClient, url: str, status: int, says: str
) -> None:
    got = api.get(url)
    assert got.status_code == status, got.text
    assert got.headers["content-type"] == "application/problem+json"
    assert says in got.json()["detail"]
