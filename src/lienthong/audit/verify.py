"""Offline verification of the chain and its signed checkpoints.

Each entry's hash depends only on its own content and the stored hash before
it, so the log is checked in seq ranges, in parallel processes for big logs,
and the ranges' ends are joined afterwards.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import func, select

from lienthong.audit.chain import GENESIS, checkpoint_message, entry_hash, signature_valid
from lienthong.audit.schema import audit_checkpoints, audit_head, audit_log
from lienthong.core.db import Store

BATCH = 50_000
MAX_PROBLEMS = 20
PARALLEL_FROM = 200_000  # entries; below this a second process costs more than it saves

_COLUMNS = "seq, ts, actor, member_id, action, target, details, hash"


@dataclass
class Segment:
    """What one worker learnt about the entries lo..hi."""

    first_seq: int | None = None
    first_prev: str | None = None
    last_seq: int | None = None
    last_hash: str | None = None
    count: int = 0
    problems: list[tuple[int, int, str]] = field(default_factory=list)
    # the stored hash at each checkpointed seq met
    at_checkpoints: dict[int, str] = field(default_factory=dict)

    def add(self, seq: int, order: int, text: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append((seq, order, text))


@dataclass
class Report:
    entries: int = 0
    checkpoints: int = 0
    last_seq: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_problem(self) -> str | None:
        return self.problems[0] if self.problems else None


def verify(store: Store, public_key: Ed25519PublicKey, workers: int | None = None) -> Report:
    """Walk the whole chain; report broken links (up to 20), in log order.

    Detects edited, deleted, inserted and reordered entries, forged or
    dangling checkpoints, and a tip that disagrees with the chain.
    """
    with store.read() as conn:
        lo, hi, count = conn.execute(
            select(func.min(audit_log.c.seq), func.max(audit_log.c.seq), func.count())
        ).one()
        checkpoints = {int(r.seq): r for r in conn.execute(select(audit_checkpoints))}
        head = conn.execute(select(audit_head)).first()
    wanted = frozenset(checkpoints)
    segments = _run_segments(store, lo or 0, hi or 0, count, wanted, workers)
    report = Report(entries=count, checkpoints=len(checkpoints))
    problems = _join(segments)
    report.last_seq = next((s.last_seq for s in reversed(segments) if s.last_seq), 0)
    last_hash = next((s.last_hash for s in reversed(segments) if s.last_hash), GENESIS)
    seen = {k: v for s in segments for k, v in s.at_checkpoints.items()}
    for seq, cp in sorted(checkpoints.items()):
        if not signature_valid(public_key, checkpoint_message(seq, cp.hash, cp.ts), cp.signature):
            problems.append(
                (seq, 5, f"checkpoint {seq}: signature is not valid (forged or altered)")
            )
        if seq > report.last_seq:
            problems.append(
                (seq, 6, f"checkpoint {seq}: signs entries past the end of the log (truncated)")
            )
        elif seq in seen and seen[seq] != cp.hash:
            problems.append((seq, 4, f"checkpoint {seq}: the chain at {seq} no longer matches it"))
    if head is None:
        problems.append((report.last_seq + 1, 7, "the chain's tip record is missing"))
    elif head.seq != report.last_seq or head.hash != last_hash:
        problems.append(
            (
                report.last_seq + 1,
                7,
                f"the chain's tip says entry {head.seq}, the log ends at "
                f"{report.last_seq} (entries removed or added outside the platform)",
            )
        )
    report.problems = [text for _, _, text in sorted(problems)[:MAX_PROBLEMS]]
    return report


def _run_segments(
    store: Store, lo: int, hi: int, count: int, wanted: frozenset[int], workers: int | None
) -> list[Segment]:
    if count == 0:
        return [Segment()]
    n = workers or (min(os.cpu_count() or 1, 4) if count >= PARALLEL_FROM else 1)
    step = (hi - lo) // n + 1
    ranges = [(lo + i * step, min(hi, lo + (i + 1) * step - 1)) for i in range(n)]
    if n == 1:
        return [verify_range(store.url, lo, hi, wanted, store)]
    ctx = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=n, mp_context=ctx) as pool:
        futures = [pool.submit(verify_range, store.url, a, b, wanted) for a, b in ranges]
        return [f.result() for f in futures]


def _join(segments: list[Segment]) -> list[tuple[int, int, str]]:
    """Check each range's first link against the range before it."""
    problems: list[tuple[int, int, str]] = []
    prev_seq, prev_hash = 0, GENESIS
    for s in segments:
        problems.extend(s.problems)
        if s.first_seq is None:
            continue
        if s.first_seq != prev_seq + 1:
            problems.append((s.first_seq, 0, _gap(prev_seq + 1, s.first_seq)))
        if s.first_prev != prev_hash:
            problems.append((s.first_seq, 1, _link(s.first_seq)))
        prev_seq, prev_hash = s.last_seq or prev_seq, s.last_hash or prev_hash
    return problems


def verify_range(
    url: str, lo: int, hi: int, wanted: frozenset[int], store: Store | None = None
) -> Segment:
    """Check entries lo..hi: numbering, each link inside the range, each hash."""
    own = store is None
    store = store or Store(url)
    seg = Segment()
    raw = store.engine.raw_connection()
    try:
        cur = _cursor(raw, store.is_sqlite)
        param = "?" if store.is_sqlite else "%s"
        cur.execute(
            f"SELECT {_COLUMNS} FROM audit_log WHERE seq BETWEEN {param} AND {param} ORDER BY seq",  # noqa: S608
            (lo, hi),
        )
        _walk(cur, seg, wanted, lambda seq: _stored_prev(raw, param, seq))
        cur.close()
    finally:
        raw.close()
        if own:
            store.dispose()
    return seg


def _walk(cur: Any, seg: Segment, wanted: frozenset[int], stored_prev: Any) -> None:
    expected: int | None = None
    prev = ""
    while rows := cur.fetchmany(BATCH):
        if expected is None:
            seg.first_seq = expected = rows[0][0]
            seg.first_prev = prev = stored_prev(expected)
        for seq, ts, actor, member_id, action, target, details, stored in rows:
            if seq != expected:
                seg.add(seq, 0, _gap(expected, seq))
            if entry_hash(prev, seq, ts, actor, member_id, action, target, details) != stored:
                _diagnose(
                    seg,
                    seq,
                    prev,
                    stored_prev(seq),
                    stored,
                    (ts, actor, member_id, action, target, details),
                )
            if seq in wanted:
                seg.at_checkpoints[seq] = stored
            prev, expected = stored, seq + 1
            seg.count += 1
    seg.last_seq = None if expected is None else expected - 1
    seg.last_hash = prev or None


def _diagnose(
    seg: Segment, seq: int, prev: str, own_prev: str, stored: str, body: tuple[Any, ...]
) -> None:
    """Tell a broken link from edited content, using the entry's stored previous hash."""
    if own_prev != prev and seg.first_seq != seq:
        seg.add(seq, 1, _link(seq))
    if entry_hash(own_prev, seq, *body) != stored:
        seg.add(seq, 2, f"entry {seq}: content does not match its hash (edited)")


def _stored_prev(raw: Any, param: str, seq: int) -> str:
    cur = raw.cursor()
    cur.execute(f"SELECT prev_hash FROM audit_log WHERE seq = {param}", (seq,))  # noqa: S608
    row = cur.fetchone()
    cur.close()
    return str(row[0]) if row else ""


def _cursor(raw: Any, sqlite: bool) -> Any:
    if sqlite:
        return raw.cursor()
    # a server-side cursor streams the log instead of loading it whole
    return raw.driver_connection.cursor(name="lienthong_verify")


def _gap(expected: int, seq: int) -> str:
    if seq > expected:
        return f"entries {expected}–{seq - 1} are missing (deleted) before entry {seq}"
    return f"entry {seq} is out of order or repeated (expected {expected})"


def _link(seq: int) -> str:
    return f"entry {seq}: its previous hash does not match entry {seq - 1}"
