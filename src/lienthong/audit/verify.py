"""Offline verification of the chain and its signed checkpoints."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import Connection, Row, select

from lienthong.audit.chain import GENESIS, checkpoint_message, entry_hash, signature_valid
from lienthong.audit.schema import audit_checkpoints, audit_head

BATCH = 20_000
MAX_PROBLEMS = 20

_ENTRIES = (
    "SELECT seq, ts, actor, member_id, action, target, details, prev_hash, hash "
    "FROM audit_log ORDER BY seq"
)


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

    def add(self, problem: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)


def verify(conn: Connection, public_key: Ed25519PublicKey) -> Report:
    """Walk the whole chain; report every broken link (up to 20), the first first.

    Detects edited, deleted, inserted and reordered entries, forged or
    dangling checkpoints, and a tip that disagrees with the chain.
    """
    report = Report()
    checkpoints = {int(r.seq): r for r in conn.execute(select(audit_checkpoints).order_by("seq"))}
    report.checkpoints = len(checkpoints)
    expected_seq, prev = 1, GENESIS
    result = conn.execution_options(stream_results=True).exec_driver_sql(_ENTRIES)
    while rows := result.fetchmany(BATCH):
        for seq, ts, actor, member_id, action, target, details, prev_hash, stored in rows:
            if seq != expected_seq:
                report.add(_gap(expected_seq, seq))
            if prev_hash != prev:
                report.add(f"entry {seq}: its previous hash does not match entry {seq - 1}")
            digest = entry_hash(prev_hash, seq, ts, actor, member_id, action, target, details)
            if digest != stored:
                report.add(f"entry {seq}: content does not match its hash (edited)")
            cp = checkpoints.get(seq)
            if cp is not None and cp.hash != stored:
                report.add(f"checkpoint {seq}: the chain at {seq} no longer matches it")
            prev, expected_seq = stored, seq + 1
            report.entries += 1
    report.last_seq = expected_seq - 1
    _check_checkpoints(report, checkpoints, public_key)
    _check_head(conn, report, prev)
    return report


def _gap(expected: int, seq: int) -> str:
    if seq > expected:
        return f"entries {expected}–{seq - 1} are missing (deleted) before entry {seq}"
    return f"entry {seq} is out of order or repeated (expected {expected})"


def _check_checkpoints(
    report: Report, checkpoints: Mapping[int, Row[Any]], public: Ed25519PublicKey
) -> None:
    for seq, cp in checkpoints.items():
        msg = checkpoint_message(seq, cp.hash, cp.ts)
        if not signature_valid(public, msg, cp.signature):
            report.add(f"checkpoint {seq}: signature is not valid (forged or altered)")
        if seq > report.last_seq:
            report.add(f"checkpoint {seq}: signs entries past the end of the log (truncated)")


def _check_head(conn: Connection, report: Report, last_hash: str) -> None:
    head = conn.execute(select(audit_head)).first()
    if head is None:
        report.add("the chain's tip record is missing")
    elif head.seq != report.last_seq or head.hash != last_hash:
        report.add(
            f"the chain's tip says entry {head.seq}, the log ends at {report.last_seq} "
            "(entries removed or added outside the platform)"
        )
