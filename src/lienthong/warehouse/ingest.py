"""Ingestion: a source into a dataset, validated, all-or-nothing unless rows are set aside.

    report = ingest(platform, actor, "ho-so-tthc", Source.file(path), Mode.INSERT)

One transaction holds the whole ingestion and its audit entry. Bad rows fail
it with every error named (the first 1,000 in full, the rest counted) and
nothing written, unless the caller asks for them to be set aside (`reject`):
then the good rows are written and the bad ones returned with their reasons.
"""

from __future__ import annotations

import csv
import hashlib
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Connection
from sqlalchemy.engine import RowMapping

from lienthong.catalog.service import get_dataset, record_data_change, schema_of, table_name
from lienthong.catalog.tableschema import TableSchema
from lienthong.core import events
from lienthong.core.auth import Principal, Role
from lienthong.core.errors import ValidationFailed
from lienthong.core.platform import Platform
from lienthong.warehouse import records, sources, tables
from lienthong.warehouse.csvfast import SlowPath, open_csv_fast
from lienthong.warehouse.validate import Checked, Findings, RowError, Validator
from lienthong.warehouse.writer import DuplicateKey, Mode, Writer, Written

Progress = Callable[[int], None]
MAX_REJECTS_KEPT = 100_000
AUDITED = (
    "mode",
    "source",
    "format",
    "encoding",
    "sha256",
    "rows_read",
    "inserted",
    "updated",
    "rejected_count",
    "notes",
)


class IngestFailed(ValidationFailed):
    """Nothing was written; `report` names every problem."""

    def __init__(self, message: str, report: dict[str, Any]) -> None:
        fields: dict[str, list[str]] = {}
        for e in report["errors"][:50]:
            fields.setdefault(e["field"], []).append(f"row {e['row']:,}: {e['reason']}")
        super().__init__(message, errors=fields)
        self.report = report

    def to_details(self) -> dict[str, Any]:
        return {"errors": self.errors, "report": self.report}


@dataclass
class Source:
    """Where rows come from: a file (with optional format and encoding) or JSON records."""

    name: str
    path: Path | None = None
    records: list[Any] | None = None
    format: str | None = None
    encoding: str | None = None

    @classmethod
    def file(cls, path: Path, fmt: str | None = None, encoding: str | None = None) -> Source:
        return cls(path.name, path=path, format=fmt, encoding=encoding)

    @classmethod
    def json_records(cls, records: list[Any]) -> Source:
        return cls("records", records=records)


@dataclass
class Report:
    dataset: str
    mode: str
    source: str
    format: str = ""
    encoding: str = ""
    sha256: str = ""
    rows_read: int = 0
    inserted: int = 0
    updated: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    rejected_count: int = 0
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    record_count: int = 0
    findings: Findings = field(default_factory=Findings)

    def as_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in vars(self).items() if k not in ("rejected", "findings")}
        out["rows_per_second"] = round(self.rows_read / self.seconds) if self.seconds else None
        # rows set aside by the reader, the validator and the key check, in file order
        out["rejected"] = sorted(self.rejected, key=lambda r: int(r["row"]))[:1000]
        return out | self.findings.summary()

    def restart(self) -> None:
        self.rows_read, self.rejected, self.rejected_count = 0, [], 0
        self.findings = Findings()


@dataclass
class _Job:
    conn: Connection
    dataset: RowMapping
    schema: TableSchema
    src: Source
    mode: Mode
    reject: bool
    report: Report
    progress: Progress | None

    @property
    def table(self) -> str:
        return table_name(self.dataset)


def ingest(
    platform: Platform,
    actor: Principal,
    name: str,
    src: Source,
    mode: Mode = Mode.INSERT,
    reject: bool = False,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Load `src` into dataset `name`. Raises IngestFailed, having written nothing, on bad rows."""
    started = time.perf_counter()
    with platform.store.write() as conn:
        dataset = get_dataset(conn, name)
        actor.require(dataset["owner_member_id"], Role.PUBLISHER)
        schema = schema_of(dataset)
        if mode in (Mode.UPSERT, Mode.UPDATE) and not schema.primary_key:
            raise ValidationFailed(f"{mode} needs a primary key, and dataset '{name}' has none")
        report = Report(dataset=name, mode=mode.value, source=src.name)
        job = _Job(conn, dataset, schema, src, mode, reject, report, progress)
        with _hashing(src.path) as digest:
            written = _attempts(job)
            report.sha256 = digest()
        report.inserted, report.updated = written.inserted, written.updated
        if mode != Mode.INSERT:
            tables.mark_search_stale(conn, dataset)
        report.record_count = tables.count_rows(conn, job.table)
        record_data_change(conn, dataset, report.record_count)
        report.seconds = round(time.perf_counter() - started, 3)
        details = {k: v for k, v in report.as_dict().items() if k in AUDITED}
        details["error_count"] = report.findings.total
        platform.audit.record(
            conn,
            actor.actor,
            "dataset.ingest",
            f"dataset:{name}",
            details,
            dataset["owner_member_id"],
        )
    # after commit: followers (indicators, live pages) see only committed data
    events.publish(
        "dataset.changed",
        {
            "dataset": name,
            "mode": mode.value,
            "inserted": report.inserted,
            "updated": report.updated,
            "database": platform.store.url,
        },
    )
    return report.as_dict()


def _attempts(job: _Job) -> Written:
    """The fast path first; the exact CSV parser or staged keys when it cannot tell."""
    slow, staged = False, job.reject
    while True:
        try:
            with job.conn.begin_nested():
                return _load(job, slow, staged)
        except SlowPath:
            if slow:
                raise
            slow = True
            job.report.notes.append(
                "read by the exact CSV parser (the file has malformed rows or bytes)"
            )
        except DuplicateKey:
            if staged:
                raise
            staged = True
        job.report.restart()


def _load(job: _Job, slow: bool, staged: bool) -> Written:
    report, findings = job.report, job.report.findings
    opened = _open(job, slow)
    validator = Validator(job.schema, opened.columns)
    if job.mode == Mode.REPLACE:
        job.conn.exec_driver_sql(f"DELETE FROM {job.table}")
    writer = Writer(job.conn, job.table, job.schema, job.mode, staged, opened.columns)

    def produce() -> tuple[int, Any] | None:
        """Read, validate and prepare the next batch (on a second thread)."""
        item = next(opened.batches, None)
        if item is None:
            return None
        batch, first = item
        checked = validator.check(batch, first, findings)
        _drain(opened, job)
        if checked.any_bad and job.reject:
            _set_aside(report, batch, checked)
        if findings.total and not job.reject:
            return batch.num_rows, None  # failing: keep validating, stop writing
        return batch.num_rows, _prepared(writer, checked)

    # while the database writes one batch, the next is read and validated
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest") as pool:
        pending = pool.submit(produce)
        while (done := pending.result()) is not None:
            pending = pool.submit(produce)
            rows, payload = done
            report.rows_read += rows
            if payload is not None and not (findings.total and not job.reject):
                writer.write(payload)
            if job.progress:
                job.progress(report.rows_read)
    _drain(opened, job)
    for what, n in findings.conversions.items():
        report.notes.append(f"{what}: {n:,}")
    if findings.total and not job.reject:
        _fail(report)
    written = writer.finish(set_aside=job.reject)
    key = ",".join(job.schema.primary_key)
    for p in written.problems:
        findings.add(RowError(p.row, key, p.key, p.reason))
        findings.bad_rows += 1
        if job.reject:
            _keep_reject(report, {"row": p.row, "errors": [p.reason], "values": {key: p.key}})
    if written.problems and not job.reject:
        _fail(report)
    return written


def _prepared(writer: Writer, checked: Checked) -> Any:
    if checked.any_bad:
        keep = pc.invert(checked.bad)
        return writer.prepare(checked.table.filter(keep), checked.rows.filter(keep))
    return writer.prepare(checked.table, checked.rows)


def _open(job: _Job, slow: bool) -> sources.Opened:
    src, report = job.src, job.report
    if src.records is not None:
        report.format, report.encoding = "records", "json"
        return records.open_records(src.records, job.schema)
    assert src.path is not None
    fmt = sources.detect_format(src.path, src.format)
    report.format = fmt
    if fmt in ("csv", "tsv", "ndjson"):
        report.encoding = sources.sniff_encoding(src.path, src.encoding)
    if fmt in ("csv", "tsv"):
        delimiter = "\t" if fmt == "tsv" else ","
        if report.encoding in ("utf-8", "utf-8-sig", "ascii") and not slow:
            return open_csv_fast(src.path, delimiter)
        if report.encoding not in ("utf-8", "utf-8-sig", "ascii"):
            report.notes.append(f"converted from {report.encoding} to Unicode (NFC)")
        return sources.open_csv_slow(src.path, report.encoding, delimiter)
    if fmt == "ndjson":
        return records.open_ndjson(src.path, job.schema, report.encoding)
    if fmt == "xlsx":
        return sources.open_xlsx(src.path, job.schema)
    if fmt == "json":
        return records.open_json(src.path, job.schema)
    return sources.open_parquet(src.path, job.schema)


def _drain(opened: sources.Opened, job: _Job) -> None:
    """Rows the reader could not split into fields: errors, or set aside."""
    findings = job.report.findings
    for e in opened.malformed:
        findings.add(e)
        findings.bad_rows += 1
        if job.reject:
            _keep_reject(
                job.report, {"row": e.row, "errors": [e.reason], "values": {"(row)": e.value}}
            )
    opened.malformed.clear()


def _keep_reject(report: Report, entry: dict[str, Any]) -> None:
    report.rejected_count += 1
    if len(report.rejected) < MAX_REJECTS_KEPT:
        report.rejected.append(entry)


def _set_aside(report: Report, batch: pa.RecordBatch, checked: Checked) -> None:
    rows = checked.rows.to_pylist()
    for i in pc.indices_nonzero(checked.bad).to_pylist():
        values = {c: batch.column(c)[i].as_py() for c in batch.schema.names}
        _keep_reject(
            report, {"row": rows[i], "errors": checked.reasons.get(i, []), "values": values}
        )


def _fail(report: Report) -> None:
    f = report.findings
    plural = "s" if f.total != 1 else ""
    message = f"{f.total:,} error{plural} in {f.bad_rows:,} row(s); nothing was written"
    if f.errors:
        message += f". First: {f.errors[0]}"
    raise IngestFailed(message, report.as_dict())


@contextmanager
def _hashing(path: Path | None) -> Iterator[Callable[[], str]]:
    """The file's SHA-256, read on a thread of its own while the file loads (hashlib
    lets go of the GIL); a failed load stops it."""
    if path is None:
        yield lambda: ""
        return
    stop = threading.Event()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-sha256") as pool:
        future = pool.submit(_sha256, path, stop)
        try:
            yield future.result
        finally:
            stop.set()


def _sha256(path: Path, stop: threading.Event) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            if stop.is_set():
                return ""
            digest.update(chunk)
    return digest.hexdigest()


def write_rejects(path: Path, rejected: list[dict[str, Any]]) -> None:
    """The rows set aside, with their row numbers and reasons, as CSV."""
    columns: list[str] = []
    for r in rejected:
        columns += [c for c in r["values"] if c not in columns]
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["_row", "_errors", *columns])
        for r in rejected:
            w.writerow([r["row"], "; ".join(r["errors"]), *(r["values"].get(c) for c in columns)])
