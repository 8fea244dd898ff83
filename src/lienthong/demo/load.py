"""Load the Hải Phòng demo: owner members, one dataset per table, every pack's rows.

    report = load(platform, local_operator("demo"), scale=None, seed=2025)

Rows are generated chunk by chunk into a CSV file in a scratch directory (memory stays
bounded whatever the scale) and streamed into the warehouse by its own ingestion, so the
demo data passes the same validation as anyone's. Loading again replaces each dataset's
rows; a different seed or scale gives a different, equally deterministic load.

Scale: `scale=None` is the demo default: tables of up to LARGE rows at the articles' scale
(1×), larger ones at DEFAULT_LARGE_SCALE. Any number from 0.01 to 10 applies to every
table alike; catalogues (the 5 junctions, 50 ports, 114 communes × months…) never scale.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pyarrow.csv as pacsv
from sqlalchemy import select
from sqlalchemy.engine import RowMapping

from lienthong.catalog.models import DatasetIn, DatasetPatch
from lienthong.catalog.schema import datasets
from lienthong.catalog.service import create_dataset, get_dataset, schema_of, update_dataset
from lienthong.catalog.tableschema import parse_schema
from lienthong.core.auth import Principal
from lienthong.core.errors import Conflict, NotFound, ValidationFailed
from lienthong.core.platform import Platform
from lienthong.demo import geo
from lienthong.demo.packs import TABLES
from lienthong.demo.packs.base import (
    CHUNK,
    DEMO_TAG,
    MAX_SCALE,
    MIN_SCALE,
    Context,
    Owner,
    Table,
)
from lienthong.demo.packs.owners import ALL as OWNERS
from lienthong.registry.members import create_member, get_member
from lienthong.registry.models import MemberIn
from lienthong.warehouse.ingest import Source, ingest
from lienthong.warehouse.writer import Mode

DEFAULT_SEED = 2025
LARGE = 100_000
DEFAULT_LARGE_SCALE = 0.25
CSV_OPTIONS = pacsv.WriteOptions(quoting_style="needed")


class Progress(Protocol):
    """Where a load reports what it is doing (the CLI draws rich progress bars)."""

    def begin(self, table: Table, rows: int) -> None: ...
    def generated(self, rows: int) -> None: ...
    def ingested(self, rows: int) -> None: ...
    def end(self, table: Table, result: TableResult) -> None: ...


@dataclass
class TableResult:
    """One table's load: rows, CSV size, seconds spent generating and ingesting."""

    name: str
    rows: int
    bytes: int
    generate_seconds: float
    ingest_seconds: float = 0.0
    mode: str = ""


@dataclass
class LoadReport:
    """A whole load: its seed and scale, where the communes came from, every table."""

    seed: int
    scale: float | None
    communes_source: str
    tables: list[TableResult] = field(default_factory=list)
    members_created: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)


def check_scale(scale: float | None) -> None:
    if scale is not None and not MIN_SCALE <= scale <= MAX_SCALE:
        raise ValidationFailed(f"scale must be between {MIN_SCALE} and {MAX_SCALE}, not {scale}")


def table_scale(t: Table, scale: float | None) -> float:
    """The scale a table runs at: `scale` if given, else the demo default."""
    if scale is not None:
        return scale
    return DEFAULT_LARGE_SCALE if t.rows > LARGE and not t.fixed else 1.0


def row_counts(scale: float | None) -> dict[str, int]:
    """Rows of every table at `scale` (None: the demo default), parents first.

    >>> counts = row_counts(1.0)
    >>> counts["y-te-the-bhyt-xac-thuc-cccd"], counts["gt-nut-giao-camera-phat-nguoi"]
    (958000, 5)
    >>> row_counts(None)["y-te-the-bhyt-xac-thuc-cccd"]
    239500
    """
    check_scale(scale)
    counts: dict[str, int] = {}
    for t in TABLES:
        counts[t.name] = t.count(table_scale(t, scale), counts)
    return counts


def context(seed: int, scale: float | None, communes: list[geo.Commune]) -> Context:
    return Context(seed, scale or 1.0, communes, row_counts(scale))


def write_table(
    ctx: Context, t: Table, path: Path, progress: Progress | None = None
) -> TableResult:
    """Generate table `t` at the context's count into a CSV file, chunk by chunk."""
    started = time.perf_counter()
    rows = ctx.counts[t.name]
    writer: pacsv.CSVWriter | None = None
    try:
        for start in range(0, rows, CHUNK):
            chunk = t.generate(ctx, start, min(rows, start + CHUNK))
            if writer is None:
                writer = pacsv.CSVWriter(path, chunk.schema, write_options=CSV_OPTIONS)
            writer.write_table(chunk)
            if progress:
                progress.generated(chunk.num_rows)
    finally:
        if writer is not None:
            writer.close()
    return TableResult(t.name, rows, path.stat().st_size, time.perf_counter() - started)


def generate_files(
    out_dir: Path,
    seed: int = DEFAULT_SEED,
    scale: float | None = None,
    communes: list[geo.Commune] | None = None,
    progress: Progress | None = None,
) -> list[TableResult]:
    """Every table as `<out_dir>/<dataset name>.csv`, with no database involved."""
    out_dir.mkdir(parents=True, exist_ok=True)
    ctx = context(seed, scale, communes or geo.communes())
    results = []
    for t in TABLES:
        if progress:
            progress.begin(t, ctx.counts[t.name])
        result = write_table(ctx, t, out_dir / f"{t.name}.csv", progress)
        results.append(result)
        if progress:
            progress.end(t, result)
    return results


def ensure_members(
    platform: Platform, actor: Principal, owners: tuple[Owner, ...] = OWNERS
) -> list[str]:
    """Register the owner agencies that are not members yet; return those created."""
    created = []
    instance = platform.settings.instance
    with platform.store.write() as conn:
        for o in owners:
            try:
                get_member(conn, instance, o.member_class, o.member_code)
            except NotFound:
                data = MemberIn.model_validate(
                    {
                        "member_class": o.member_class,
                        "member_code": o.member_code,
                        "name": o.name,
                        "name_en": o.name_en,
                    }
                )
                create_member(conn, platform.audit, actor, instance, data)
                created.append(o.ref)
    return created


def ensure_dataset(platform: Platform, actor: Principal, t: Table) -> Mode:
    """Create the table's dataset, or bring an existing one's entry up to date.

    Returns how to load: INSERT into a new dataset, REPLACE the rows of an existing one."""
    entry = DatasetIn.model_validate(t.dataset())
    instance = platform.settings.instance
    with platform.store.write() as conn:
        exists = conn.execute(select(datasets.c.id).where(datasets.c.name == t.name)).first()
        if exists is None:
            create_dataset(conn, platform.audit, actor, instance, entry)
            return Mode.INSERT
        row = get_dataset(conn, t.name)
        if DEMO_TAG not in json.loads(row["tags"]):
            # never replace the rows of a dataset someone else made under the same name
            raise Conflict(
                f"dataset '{t.name}' exists and is not the demo's (no '{DEMO_TAG}' tag): "
                "rename or delete it, or load the demo into another database"
            )
        patch = _changes(row, entry)
        if schema_of(row).to_json() != parse_schema(t.schema()).to_json():
            patch["schema"] = t.schema()
        if patch:
            update_dataset(conn, platform.audit, actor, row, DatasetPatch.model_validate(patch))
        return Mode.REPLACE


def _changes(row: RowMapping, entry: DatasetIn) -> dict[str, Any]:
    """The catalogue fields whose stored value differs from the pack's."""
    wanted = entry.model_dump(mode="json", exclude={"name", "owner", "schema_"})
    stored = dict(row) | {k: json.loads(row[k]) for k in ("tags", "spatial")}
    return {k: v for k, v in wanted.items() if stored.get(k) != v}


def load(
    platform: Platform,
    actor: Principal,
    scale: float | None = None,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
    keep_dir: Path | None = None,
    only: list[str] | None = None,
) -> LoadReport:
    """Create the members and datasets and load every pack (or the tables in `only`)."""
    started = time.perf_counter()
    communes, source = geo.communes_and_source(platform.store)
    report = LoadReport(seed, scale, source)
    ctx = context(seed, scale, communes)
    report.members_created = ensure_members(platform, actor)
    with _scratch(keep_dir) as scratch:
        for t in TABLES:
            if only and t.name not in only:
                continue
            report.tables.append(_load_table(platform, actor, ctx, t, scratch, progress, keep_dir))
    report.seconds = time.perf_counter() - started
    return report


def _load_table(
    platform: Platform,
    actor: Principal,
    ctx: Context,
    t: Table,
    scratch: Path,
    progress: Progress | None,
    keep_dir: Path | None,
) -> TableResult:
    mode = ensure_dataset(platform, actor, t)
    if progress:
        progress.begin(t, ctx.counts[t.name])
    path = scratch / f"{t.name}.csv"
    result = write_table(ctx, t, path, progress)
    began = time.perf_counter()
    ingest(
        platform,
        actor,
        t.name,
        Source.file(path, "csv", "utf-8"),
        mode,
        progress=progress.ingested if progress else None,
    )
    result.ingest_seconds, result.mode = time.perf_counter() - began, mode.value
    if keep_dir is None:
        path.unlink()
    if progress:
        progress.end(t, result)
    return result


@contextmanager
def _scratch(keep_dir: Path | None) -> Iterator[Path]:
    """Where the CSV files go: `keep_dir` (kept), or a temporary directory (removed)."""
    if keep_dir is not None:
        keep_dir.mkdir(parents=True, exist_ok=True)
        yield keep_dir
        return
    path = Path(tempfile.mkdtemp(prefix="lienthong-demo-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
