"""Values reported by a member (GRDP from the statistics office), through the API or CSV.

Source and method are a dimension: the statistics office's and the ministry's
digital-economy shares differ and both are kept. Every row is checked before
anything is stored: a known reported data element, a unit that exists, a
period of a kind the element is reported at, a number. Reporting the same
value again changes nothing; a different value for the same (element, unit,
period, source) is a conflicting duplicate and refused.

>>> rows = parse_csv("element,unit,period,value,source,method\\nGRDP,31,2024,\\"1,5\\",gso,TT13")
>>> rows[0]["value"]
'1,5'
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, insert, select

from lienthong.core.auth import Principal, Role
from lienthong.core.errors import Conflict, LienthongError, ValidationFailed
from lienthong.core.platform import AuditSink
from lienthong.core.timeutil import utcnow
from lienthong.indicators.model import PLATFORM, Registry
from lienthong.indicators.schema import ind_reported
from lienthong.indicators.unitmap import UnitMap
from lienthong.registry.members import member_by_ref
from lienthong.units import periods

SOURCE = re.compile(r"^[a-z][a-z0-9-]{1,31}$")
COLUMNS = ("element", "unit", "period", "value", "source", "method", "note")
MAX_ROWS = 100_000


@dataclass(frozen=True)
class Row:
    element: str
    unit: str
    period: str
    value: float
    source: str
    method: str
    note: str | None

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.element, self.unit, self.period, self.source)


def parse_csv(text: str) -> list[dict[str, Any]]:
    """CSV with a header naming at least element, unit, period, value, source, method."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in COLUMNS[:-1] if c not in (reader.fieldnames or [])]
    if missing:
        msg = f"the CSV has no column {', '.join(missing)} (needs {', '.join(COLUMNS[:-1])})"
        raise ValidationFailed(msg, errors={"header": [msg]})
    return [dict(r) for r in reader]


def _number(raw: Any) -> float:
    if isinstance(raw, str):
        text = raw.strip()
        if "," in text and "." not in text:  # Vietnamese decimal comma: 12,67
            text = text.replace(",", ".")
        raw = text
    value = float(raw)
    if not math.isfinite(value):
        raise ValueError("not finite")
    return value


def check(conn: Connection, registry: Registry, items: list[dict[str, Any]]) -> list[Row]:
    """Every row checked; ValidationFailed naming each bad row, before anything is stored."""
    if len(items) > MAX_ROWS:
        raise ValidationFailed(f"at most {MAX_ROWS:,} rows per report, not {len(items):,}")
    units, errors, rows = UnitMap(conn), {}, []
    for n, item in enumerate(items, start=1):
        problems: list[str] = []
        row = _row(conn, registry, units, item, problems)
        if problems:
            errors[f"row {n}"] = problems
        elif row is not None:
            rows.append(row)
    if errors:
        first = next(iter(errors.items()))
        raise ValidationFailed(
            f"{len(errors)} bad row(s); nothing was stored. {first[0]}: {first[1][0]}",
            errors=errors,
        )
    _check_batch(rows)
    return rows


def _row(
    conn: Connection, registry: Registry, units: UnitMap, item: dict[str, Any], out: list[str]
) -> Row | None:
    element = str(item.get("element") or "")
    e = registry.elements.get(element)
    if e is None:
        out.append(f"unknown data element {element[:64]!r}")
    elif e.computed:
        out.append(f"{element} is computed from platform data and cannot be reported")
    source, method = str(item.get("source") or ""), str(item.get("method") or "").strip()
    if not SOURCE.match(source) or source == PLATFORM:
        out.append(f"source {source[:40]!r} must be a short lower-case code (e.g. gso, mic)")
    if not method:
        out.append("method is required (e.g. TT13/2021, 1354/QĐ-BTTTT)")
    period = _period(str(item.get("period") or ""), e.periods if e else None, out)
    unit = str(item.get("unit") or "")
    if not _unit_known(conn, units, unit, period.start if period else None):
        out.append(f"unknown unit {unit[:40]!r}" + (f" on {period.code}" if period else ""))
    try:
        value = _number(item.get("value"))
    except (TypeError, ValueError):
        out.append(f"value {str(item.get('value'))[:40]!r} is not a number")
        value = math.nan
    if out or period is None:
        return None
    note = item.get("note") or None
    return Row(element, unit, period.code, value, source, method[:200], note)


def _period(code: str, kinds: tuple[str, ...] | None, out: list[str]) -> periods.Period | None:
    try:
        period = periods.parse(code)
    except ValidationFailed as exc:
        out.append(f"unknown period: {exc.message}")
        return None
    if kinds and period.kind not in kinds:
        out.append(
            f"period {code} is a {period.kind}; this element is reported per {', '.join(kinds)}"
        )
        return None
    return period


def _unit_known(conn: Connection, units: UnitMap, code: str, when: date | None) -> bool:
    try:
        return units.known(code) or (when is not None and units.known(code, when))
    except LienthongError:
        return False


def _check_batch(rows: list[Row]) -> None:
    seen: dict[tuple[str, str, str, str], float] = {}
    for r in rows:
        if r.key in seen and seen[r.key] != r.value:
            both = f"{seen[r.key]:g}, {r.value:g}"
            msg = f"{'/'.join(r.key)} is reported twice with different values ({both})"
            raise Conflict(msg, errors={"/".join(r.key): [msg]})
        seen[r.key] = r.value


def store_rows(
    conn: Connection,
    audit: AuditSink,
    actor: Principal,
    member: str | None,
    rows: list[Row],
    instance: str,
) -> dict[str, Any]:
    """Store checked rows for `member` (whose publisher the actor must be)."""
    member_id = member_by_ref(conn, instance, member)["id"] if member else None
    if member_id is None:
        actor.require_platform_admin()
    else:
        actor.require(member_id, Role.PUBLISHER)
    existing = _existing(conn, rows)
    new = []
    for r in dict.fromkeys(rows):
        old = existing.get(r.key)
        if old is None:
            new.append(r)
        elif old != r.value:
            msg = (
                f"{'/'.join(r.key)} was already reported as {old:g}; {r.value:g} conflicts "
                "with it: withdraw the old value first"
            )
            raise Conflict(msg, errors={"/".join(r.key): [msg]})
    now = utcnow()
    if new:
        conn.execute(
            insert(ind_reported),
            [
                r.__dict__
                | {"member_id": member_id, "reported_by": actor.actor, "reported_at": now}
                for r in new
            ],
        )
    years = sorted({r.period[:4] for r in new})
    details = {"inserted": len(new), "unchanged": len(rows) - len(new), "years": years}
    audit.record(conn, actor.actor, "indicators.report", "indicators:reported", details, member_id)
    return details


def _existing(conn: Connection, rows: list[Row]) -> dict[tuple[str, str, str, str], float]:
    r = ind_reported.c
    found: dict[tuple[str, str, str, str], float] = {}
    elements = sorted({x.element for x in rows})
    for i in range(0, len(elements), 500):
        stmt = select(r.element, r.unit, r.period, r.source, r.value).where(
            r.element.in_(elements[i : i + 500])
        )
        found |= {(a, b, c, d): v for a, b, c, d, v in conn.execute(stmt)}
    return found
