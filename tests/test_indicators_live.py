"""Incremental recomputation: an ingestion changes only the cells it touches, the values
equal a full recomputation's, and a change event names the cells. Also the event bus."""

from __future__ import annotations

import asyncio
import threading
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from lienthong.core import events
from lienthong.core.platform import Platform
from lienthong.indicators import compute, live
from lienthong.indicators.schema import ind_values
from tests.test_indicators_support import (  # noqa: F401  (fixtures)
    DOANH_NGHIEP_SCHEMA,
    DOSSIERS,
    HAIPHONG,
    HO_SO_SCHEMA,
    communes,
    doanh_nghiep,
    ho_so,
    load,
    make_dataset,
    months,
    setup_member,
    store,
    units_pg,
    units_sqlite,
)

MONTHS = months(date(2025, 7, 1), 9)  # 2025-07 … 2026-03
# scored against the other communes of the same period (min-max): they move together
CROSS_UNIT = {"DTI922_CQS_R06", "DTI922_CQS_DIEM", "DTI922_CQS", "DTI922_CQS_DO_DUOC", "DTI922"}


def snapshot(platform: Platform) -> dict[tuple[str, str, str, str], Any]:
    with platform.store.read() as conn:
        return {
            (r.dx, r.ou, r.pe, r.source): (
                r.value,
                r.numerator,
                r.denominator,
                r.estimated,
                r.computed_at,
            )
            for r in conn.execute(select(ind_values))
        }


@pytest.fixture
def ready(platform: Platform) -> dict[str, Any]:
    setup_member(platform)
    make_dataset(platform, DOSSIERS, HO_SO_SCHEMA)
    make_dataset(platform, "doanh-nghiep", DOANH_NGHIEP_SCHEMA)
    xa = communes(platform.store, 5)
    load(platform, DOSSIERS, ho_so(0, 2000, xa, MONTHS))
    load(platform, "doanh-nghiep", doanh_nghiep(0, 300, xa, MONTHS))
    compute.compute_all(platform.store)
    return {"communes": xa}


def test_an_append_changes_only_the_cells_it_touches(
    platform: Platform, ready: dict[str, Any]
) -> None:
    target = ready["communes"][2]
    before = snapshot(platform)
    received: list[dict[str, Any]] = []
    follower = live.Follower(platform.store).start()
    try:
        with events.subscribe(live.INDICATORS_CHANGED, lambda _t, e: received.append(e)):
            load(platform, DOSSIERS, ho_so(10_000, 150, [target], [date(2025, 11, 1)]))
            # what warehouse/ingest.py publishes after its commit (see test_ingest_publishes…)
            events.publish(
                live.DATASET_CHANGED,
                {
                    "dataset": DOSSIERS,
                    "mode": "insert",
                    "inserted": 150,
                    "updated": 0,
                    "database": platform.store.url,
                },
            )
    finally:
        follower.stop()
    after = snapshot(platform)
    changed = {k for k in after if before.get(k, (None,))[:4] != after[k][:4]}
    changed |= {k for k in before if k not in after}
    assert changed, "the new files must change something"
    for dx, ou, pe, _source in changed:
        assert pe in ("2025-11", "2025-Q4", "2025")
        assert ou in (target, HAIPHONG) or dx in CROSS_UNIT
    untouched = [k for k in after if k in before and k not in changed]
    assert untouched
    assert all(after[k][4] == before[k][4] for k in untouched)
    assert len(received) == 1
    assert received[0]["changed"] == len(changed)
    assert {tuple(c) for c in received[0]["cells"]} == changed
    # the same values as recomputing everything from scratch
    compute.compute_all(platform.store)
    full = snapshot(platform)
    assert {k: v[:4] for k, v in full.items()} == {k: v[:4] for k, v in after.items()}


def test_a_replace_rebuilds_that_dataset(platform: Platform, ready: dict[str, Any]) -> None:
    from lienthong.warehouse.ingest import Source, ingest
    from lienthong.warehouse.writer import Mode
    from tests.test_indicators_support import OPERATOR

    rows = ho_so(0, 100, ready["communes"][:1], [date(2026, 1, 1)])
    ingest(platform, OPERATOR, DOSSIERS, Source.json_records(rows), Mode.REPLACE)
    summary = compute.apply_change(platform.store, DOSSIERS, "replace")
    assert summary is not None
    assert "2025" in summary.years
    assert "2026" in summary.years
    after = snapshot(platform)
    assert after[("TTHC_HO_SO", HAIPHONG, "2026", "platform")][0] == 100
    assert ("TTHC_HO_SO", HAIPHONG, "2025", "platform") not in after


def test_ingest_publishes_and_values_follow(platform: Platform, ready: dict[str, Any]) -> None:
    """The end-to-end path: warehouse/ingest.py publishes `dataset.changed` itself."""
    seen: list[dict[str, Any]] = []
    follower = live.Follower(platform.store).start()
    try:
        with events.subscribe(live.DATASET_CHANGED, lambda _t, e: seen.append(e)):
            load(platform, DOSSIERS, ho_so(20_000, 40, ready["communes"][:1], [date(2026, 3, 1)]))
    finally:
        follower.stop()
    if not seen:
        pytest.skip("warehouse/ingest.py does not publish dataset.changed yet")
    files = snapshot(platform)[("TTHC_HO_SO", ready["communes"][0], "2026-03", "platform")][0]
    compute.compute_all(platform.store)
    assert (
        snapshot(platform)[("TTHC_HO_SO", ready["communes"][0], "2026-03", "platform")][0] == files
    )


def test_bus_from_threads_to_asyncio() -> None:
    async def main() -> list[dict[str, Any]]:
        got: list[dict[str, Any]] = []
        stream = events.listen(["t.one"])

        async def read() -> None:
            async for e in stream:
                got.append(e)
                if len(got) == 3:
                    return

        task = asyncio.create_task(read())
        await asyncio.sleep(0.01)  # the listener subscribes on its first step
        threads = [
            threading.Thread(target=events.publish, args=("t.one", {"n": i})) for i in range(3)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        await asyncio.wait_for(task, 5)
        return got

    got = asyncio.run(main())
    assert sorted(e["n"] for e in got) == [0, 1, 2]
    assert {e["topic"] for e in got} == {"t.one"}


def test_a_failing_handler_does_not_stop_the_others() -> None:
    seen: list[int] = []

    def bad(_t: str, _e: dict[str, Any]) -> None:
        raise RuntimeError("boom")

    with (
        events.subscribe("t.two", bad),
        events.subscribe("t.two", lambda _t, e: seen.append(e["n"])),
    ):
        assert events.publish("t.two", {"n": 1}) == 2
    assert seen == [1]
    assert events.publish("t.two", {"n": 2}) == 0


def test_an_upsert_after_a_staged_ingestion_recomputes(
    platform: Platform, ready: dict[str, Any]
) -> None:
    """An upsert is staged in a temporary table, on a pooled connection the recomputation may
    get next: SQLite then refuses to change its temporary storage inside the transaction."""
    from lienthong.warehouse.ingest import Source, ingest
    from lienthong.warehouse.writer import Mode
    from tests.test_indicators_support import OPERATOR

    rows = ho_so(0, 10, ready["communes"][:1], [date(2026, 2, 1)])
    written = ingest(platform, OPERATOR, DOSSIERS, Source.json_records(rows), Mode.UPSERT)
    summary = compute.apply_change(platform.store, DOSSIERS, "upsert", int(written["updated"]))
    assert summary is not None
    assert "2026" in summary.years
    after = snapshot(platform)
    compute.compute_all(platform.store)
    assert {k: v[:4] for k, v in snapshot(platform).items()} == {k: v[:4] for k, v in after.items()}


def test_a_full_recompute_writes_only_what_differs(
    platform: Platform, ready: dict[str, Any]
) -> None:
    """Over stored values, a full recompute rewrites the cells that differ and removes those
    it no longer computes; the result is that of a computation into an empty table."""
    from sqlalchemy import delete, insert, update

    again = compute.compute_all(platform.store)
    assert again.values > 0
    assert again.changed == 0
    first = snapshot(platform)
    key = ("TTHC_HO_SO", HAIPHONG, "2025", "platform")
    v = ind_values.c
    with platform.store.write() as conn:
        conn.execute(
            update(ind_values)
            .where(v.dx == key[0], v.ou == key[1], v.pe == key[2], v.source == key[3])
            .values(value=-1.0)
        )
        conn.execute(
            insert(ind_values).values(
                dx="NOT_COMPUTED", ou=HAIPHONG, pe="2025", source="platform", value=1.0,
                estimated=False, computed_at=first[key][4],
            )
        )  # fmt: skip
    repaired = compute.compute_all(platform.store)
    assert repaired.changed == 2
    after = snapshot(platform)
    assert {k: w[:4] for k, w in after.items()} == {k: w[:4] for k, w in first.items()}
    untouched = [k for k in first if k != key]
    assert all(after[k][4] == first[k][4] for k in untouched)
    with platform.store.write() as conn:
        conn.execute(delete(ind_values))
    compute.compute_all(platform.store)
    assert {k: w[:4] for k, w in snapshot(platform).items()} == {k: w[:4] for k, w in first.items()}


def test_a_whole_table_write_builds_the_index_after(
    platform: Platform, ready: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Written whole (into an empty table, or most of it changed), the values' `(pe, dx)`
    index is dropped for the inserts and built again (on SQLite, from 50,000 rows; here
    from one): the index is there afterwards and the values are those kept up with it."""
    from sqlalchemy import delete, inspect, update

    kept = snapshot(platform)
    monkeypatch.setattr(compute, "_WHOLE_TABLE_ROWS", 1)
    # into an empty table, then over one whose every stored value is wrong
    for spoil in (delete(ind_values), update(ind_values).values(value=-1.0)):
        with platform.store.write() as conn:
            conn.execute(spoil)
        summary = compute.compute_all(platform.store)
        assert summary.changed == len(kept)
        assert {k: w[:4] for k, w in snapshot(platform).items()} == {
            k: w[:4] for k, w in kept.items()
        }
        with platform.store.read() as conn:
            names = {i["name"] for i in inspect(conn).get_indexes("ind_values")}
        assert "ix_ind_values_pe_dx" in names
