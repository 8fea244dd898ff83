"""Appending to the log, writing checkpoints and reading entries back."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from lienthong.audit.chain import Signer, checkpoint_message, entry_hash, has_control_chars
from lienthong.audit.schema import audit_checkpoints, audit_head, audit_log
from lienthong.core.jsonutil import canonical
from lienthong.core.timeutil import iso, parse_iso, utcnow

HEAD_ID = 1


@dataclass(frozen=True)
class Entry:
    """One entry to append."""

    actor: str
    action: str
    target: str
    details: dict[str, Any] | None = None
    member_id: int | None = None


class Auditor:
    """Appends entries inside the caller's transaction and signs checkpoints.

    Usage: ``Auditor(signer).record(conn, "user:lan", "member.create", "VN/GOV/H31")``.
    """

    def __init__(self, signer: Signer, every: int = 1000, seconds: float = 60.0) -> None:
        self.signer = signer
        self.every = every
        self.seconds = seconds

    def record(
        self,
        conn: Connection,
        actor: str,
        action: str,
        target: str,
        details: dict[str, Any] | None = None,
        member_id: int | None = None,
    ) -> int:
        return self.record_many(conn, [Entry(actor, action, target, details, member_id)])

    def record_many(self, conn: Connection, entries: Sequence[Entry]) -> int:
        """Append entries in order; return the last seq. Runs in the caller's transaction."""
        if not entries:
            raise ValueError("nothing to append")
        for e in entries:
            if has_control_chars(e.actor + e.action + e.target):
                raise ValueError(f"control characters in audit entry {e.action!r} {e.target!r}")
        # take the tip's row lock before reading it: concurrent writers queue here
        conn.execute(
            update(audit_head)
            .where(audit_head.c.id == HEAD_ID)
            .values(seq=audit_head.c.seq + len(entries))
        )
        head = conn.execute(select(audit_head).where(audit_head.c.id == HEAD_ID)).one()
        seq: int = head.seq - len(entries)
        prev = head.hash
        ts = iso(utcnow())
        rows = []
        for e in entries:
            seq += 1
            details = canonical(e.details or {})
            digest = entry_hash(prev, seq, ts, e.actor, e.member_id, e.action, e.target, details)
            rows.append(
                {
                    "seq": seq,
                    "ts": ts,
                    "actor": e.actor,
                    "member_id": e.member_id,
                    "action": e.action,
                    "target": e.target,
                    "details": details,
                    "prev_hash": prev,
                    "hash": digest,
                }
            )
            prev = digest
        conn.execute(insert(audit_log), rows)
        conn.execute(update(audit_head).where(audit_head.c.id == HEAD_ID).values(hash=prev))
        if seq - head.checkpoint_seq >= self.every:
            self._write_checkpoint(conn, seq, prev, ts)
        return seq

    def checkpoint(self, conn: Connection, force: bool = False) -> int | None:
        """Sign the tip if entries were added since the last checkpoint and it is due."""
        conn.execute(
            update(audit_head).where(audit_head.c.id == HEAD_ID).values(seq=audit_head.c.seq)
        )
        head = conn.execute(select(audit_head).where(audit_head.c.id == HEAD_ID)).one()
        if head.seq == head.checkpoint_seq:
            return None
        age = time.time() - _epoch(head.checkpoint_ts)
        if not force and age < self.seconds and head.seq - head.checkpoint_seq < self.every:
            return None
        self._write_checkpoint(conn, head.seq, head.hash, iso(utcnow()))
        seq: int = head.seq
        return seq

    def _write_checkpoint(self, conn: Connection, seq: int, chain_hash: str, ts: str) -> None:
        signature = self.signer.sign(checkpoint_message(seq, chain_hash, ts))
        conn.execute(
            insert(audit_checkpoints).values(
                seq=seq, hash=chain_hash, ts=ts, key_id=self.signer.key_id, signature=signature
            )
        )
        conn.execute(
            update(audit_head)
            .where(audit_head.c.id == HEAD_ID)
            .values(checkpoint_seq=seq, checkpoint_ts=ts)
        )


def _epoch(ts: str) -> float:
    return parse_iso(ts).timestamp()


def list_entries(
    conn: Connection,
    *,
    after: int = 0,
    limit: int = 100,
    member_ids: frozenset[int] | None = None,
    action_prefix: str | None = None,
) -> list[dict[str, Any]]:
    """Entries with seq > after, oldest first; `member_ids` limits to those organisations."""
    q = select(audit_log).where(audit_log.c.seq > after).order_by(audit_log.c.seq).limit(limit)
    if member_ids is not None:
        q = q.where(audit_log.c.member_id.in_(sorted(member_ids)))
    if action_prefix:
        q = q.where(audit_log.c.action.startswith(action_prefix, autoescape=True))
    return [dict(r._mapping) for r in conn.execute(q)]


def count_entries(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(audit_log)).scalar_one())
