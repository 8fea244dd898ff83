"""The reproduction test: Đà Nẵng's DTI 2022, 0.8002, computed by the engine from the
dti-province-922 framework and the eight published main indices (reported values), and
the framework checks that refuse malformed frameworks before anything is stored."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from lienthong.core.errors import Conflict, ValidationFailed
from lienthong.core.platform import Platform
from lienthong.indicators import live, loader
from lienthong.indicators.schema import ind_reported, ind_values
from tests.test_indicators_support import (  # noqa: F401  (fixtures)
    DANANG,
    OPERATOR,
    store,
    units_pg,
    units_sqlite,
)

# the published main indices of Đà Nẵng, DTI 2022 (the ministry's report)
PUBLISHED = {
    "DTI922_NTS": 1.0000,
    "DTI922_TCS": 0.9000,
    "DTI922_HTS": 0.8253,
    "DTI922_NLS": 0.8487,
    "DTI922_ATTT": 0.7578,
    "DTI922_CQS": 0.8575,
    "DTI922_KTS": 0.7836,
    "DTI922_XHS": 0.5197,
}


def published_rows(values: dict[str, float]) -> list[dict[str, Any]]:
    return [
        {
            "element": f"{code}_CONG_BO",
            "unit": DANANG,
            "period": "2022",
            "value": v,
            "source": "bo-tttt",
            "method": "922/QĐ-BTTTT, báo cáo DTI 2022",
        }
        for code, v in values.items()
    ]


def stored(platform: Platform, dx: str) -> float:
    v = ind_values.c
    stmt = select(v.value).where(v.dx == dx, v.ou == DANANG, v.pe == "2022", v.source == "bo-tttt")
    with platform.store.read() as conn:
        return float(conn.execute(stmt).scalar_one())


def test_danang_2022_dti_reproduces(platform: Platform) -> None:
    live.report(platform, OPERATOR, published_rows(PUBLISHED))
    assert round(stored(platform, "DTI922"), 4) == 0.8002
    # each main value is its points over its maximum, as published
    assert stored(platform, "DTI922_CQS") == pytest.approx(0.8575)
    assert stored(platform, "DTI922_CQS_DIEM") == pytest.approx(171.5)


def test_reporting_again_is_idempotent_and_a_conflict_is_refused(platform: Platform) -> None:
    live.report(platform, OPERATOR, published_rows(PUBLISHED))
    again = live.report(platform, OPERATOR, published_rows(PUBLISHED))
    assert again["inserted"] == 0
    assert again["unchanged"] == 8
    with pytest.raises(Conflict, match=r"already reported as 0\.5197"):
        live.report(platform, OPERATOR, published_rows({"DTI922_XHS": 0.52}))
    twice = published_rows({"DTI922_XHS": 0.1}) + published_rows({"DTI922_XHS": 0.2})
    with pytest.raises(Conflict, match="reported twice"):
        live.report(platform, OPERATOR, twice)
    assert stored(platform, "DTI922_XHS") == pytest.approx(0.5197)


def test_reported_values_for_unknown_units_or_periods_store_nothing(platform: Platform) -> None:
    bad = published_rows({"DTI922_NTS": 1.0, "DTI922_TCS": 0.9, "DTI922_HTS": 0.8})
    bad[0]["unit"] = "99"
    bad[1]["period"] = "2022-13"
    bad[2]["period"] = "2022-Q4"  # published main values are yearly
    with pytest.raises(ValidationFailed) as caught:
        live.report(platform, OPERATOR, bad)
    errors = caught.value.errors
    assert "unknown unit '99'" in errors["row 1"][0]
    assert "there is no month 13" in errors["row 2"][0]
    assert "reported per year" in errors["row 3"][0]
    with platform.store.read() as conn:
        assert conn.execute(select(ind_reported)).first() is None


def test_both_digital_economy_shares_are_kept(platform: Platform) -> None:
    rows = []
    for source, method, va in (
        ("gso", "TT13/2021/TT-BKHĐT", 12.67),
        ("mic", "1354/QĐ-BTTTT", 14.26),
    ):
        rows += [
            {
                "element": "VA_ICT",
                "unit": "31",
                "period": "2022",
                "value": va / 2,
                "source": source,
                "method": method,
            },
            {
                "element": "VA_NEN_TANG",
                "unit": "31",
                "period": "2022",
                "value": va / 4,
                "source": source,
                "method": method,
            },
            {
                "element": "VA_SO_HOA",
                "unit": "31",
                "period": "2022",
                "value": va / 4,
                "source": source,
                "method": method,
            },
            {
                "element": "GRDP",
                "unit": "31",
                "period": "2022",
                "value": 100,
                "source": source,
                "method": method,
            },
        ]
    live.report(platform, OPERATOR, rows)
    v = ind_values.c
    stmt = select(v.source, v.value).where(v.dx == "KTS_TY_TRONG", v.ou == "31", v.pe == "2022")
    with platform.store.read() as conn:
        shares = dict(conn.execute(stmt).all())
    assert shares == pytest.approx({"gso": 12.67, "mic": 14.26})


# --- malformed frameworks: a clear error, nothing stored ---------------------------------
BASE: dict[str, Any] = {
    "code": "thu-nghiem",
    "title": "thử nghiệm",
    "periods": ["month", "year"],
    "data_elements": [
        {
            "code": "A",
            "source": "computed",
            "dataset": "d",
            "unit_field": "xa",
            "date_field": "ngay",
        },
        {"code": "B", "source": "reported", "periods": ["year"]},
    ],
    "indicators": [{"code": "R", "numerator": "A", "denominator": "A", "periods": ["month"]}],
}


def broken(**changes: Any) -> dict[str, Any]:
    return BASE | changes


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        (
            broken(
                indicators=[{"code": "X", "numerator": "Y + A"}, {"code": "Y", "numerator": "X"}]
            ),
            "cycle: X → Y → X",
        ),
        (
            broken(indicators=[{"code": "X", "numerator": "A + NOPE"}]),
            "unknown data element or indicator 'NOPE'",
        ),
        (
            broken(indicators=[{"code": "X", "numerator": "A", "denominator": "0"}]),
            "divides by zero",
        ),
        (
            broken(indicators=[{"code": "X", "numerator": "A / (B - B)", "periods": ["year"]}]),
            "divides by zero",
        ),
        (broken(periods=None), "periods are missing"),
        (
            broken(
                indicators=[
                    {"code": "X", "numerator": "A", "denominator": "B", "periods": ["month"]}
                ]
            ),
            "computed per month but 'B' has no values per month",
        ),
        (broken(data_elements=[{"code": "B", "source": "reported"}]), "periods are missing"),
        (broken(indicators=[{"code": "X", "numerator": "import os"}]), "is not an expression"),
        (broken(indicators=[{"code": "X", "numerator": "__import__('os')"}]), "calls __import__"),
        (broken(colour="red"), "unknown key 'colour'"),
    ],
)
def test_malformed_frameworks_are_refused(doc: dict[str, Any], message: str) -> None:
    with pytest.raises(loader.FrameworkInvalid) as caught:
        loader.load_documents([("thu-nghiem.yaml", doc)])
    everything = " | ".join(m for ms in caught.value.errors.values() for m in ms)
    assert message in everything


def test_shipped_frameworks_report_their_coverage() -> None:
    reg = loader.load_shipped()
    assert set(reg.frameworks) >= {
        "dti-province-922",
        "dti-province-405",
        "digital-economy",
        "haiphong-targets",
    }
    dti = reg.frameworks["dti-province-922"]
    assert [p.points for p in dti.pillars] == [100, 100, 100, 100, 100, 0, 200, 150, 150]
    assert dti.scale == 1000
    cov = dti.coverage()
    assert cov["components_official"] == 98
    assert 0 < cov["share_computed"] < 0.2
    skeleton = reg.frameworks["dti-province-405"]
    assert len(skeleton.pillars) == 8
    assert skeleton.coverage()["components_official"] == 47
    assert not any(p.transcribed for p in skeleton.pillars)
    for fw in reg.frameworks.values():
        assert 0 <= fw.coverage()["share_computed"] <= 1
    targets = {(t.period, t.value) for t in reg.targets if t.indicator == "KTS_TY_TRONG"}
    assert {("2025", 25.0), ("2025", 35.0)} <= targets
