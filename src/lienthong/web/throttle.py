"""Login throttling: failed password attempts counted per username and per client address.

Past 5 failures for a username, or 30 from one address, within a moving 15-minute window,
further attempts are refused with 429 and Retry-After *before* the password is checked, so
a guesser learns nothing and costs no password hash. A successful login clears its
username's count.

The counts live in the platform's database (table `auth_login_failures`), so every server
process shares them and a restart keeps them. One row per failure and key, not a
fixed-window counter: a fixed window lets a guesser spend the allowance twice across a
window boundary, and approximating a moving window from two counters still errs. Rows stay
few because a throttled key records nothing more (the check comes first), and each write
deletes the rows that have left the window: the table holds at most two rows per failure
of the last 15 minutes. A failure is a plain INSERT in the store's write transaction, so
failures at the same moment in different processes are all counted; a count is a SELECT
within the window. Attempts checked at the same moment may each pass before either
failure is written, so concurrent guesses can exceed the allowance by the number in flight.

>>> from sqlalchemy.pool import StaticPool
>>> from lienthong.core.db import Store
>>> store = Store("sqlite://", poolclass=StaticPool)
>>> login_failures.create(store.engine)
>>> t = Throttle(store, per_user=2, per_address=10)
>>> t.retry_after("lan", "127.0.0.1") is None
True
>>> t.failed("lan", "127.0.0.1"); t.failed("LAN ", "127.0.0.1")
>>> 0 < (t.retry_after("lan", "127.0.0.1") or 0) <= 900
True
>>> t.succeeded("lan"); t.retry_after("lan", "127.0.0.1") is None
True
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from sqlalchemy import Connection, delete, insert, select
from starlette.requests import Request

from lienthong.core.db import Store
from lienthong.core.platform import get_platform
from lienthong.registry.schema import login_failures

WINDOW_SECONDS = 15 * 60
PER_USER = 5
PER_ADDRESS = 30
KEY_LENGTH = 256  # the column's; a casefolded 64-character username fits
USER, ADDRESS = "user", "address"


class Throttle:
    """Failed-login counters for usernames and client addresses, in `store`.

    `now` gives Unix seconds (injectable, so tests move time without sleeping).
    """

    def __init__(
        self,
        store: Store,
        per_user: int = PER_USER,
        per_address: int = PER_ADDRESS,
        window: float = WINDOW_SECONDS,
        now: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.limits = {USER: per_user, ADDRESS: per_address}
        self.window = window
        self.now = now

    def retry_after(self, username: str, address: str) -> int | None:
        """Seconds to wait when either counter is exhausted, else None."""
        now = self.now()
        waits = []
        with self.store.read() as conn:
            for kind, key in ((USER, _user_key(username)), (ADDRESS, _address_key(address))):
                oldest = self._oldest_counted(conn, kind, key, now)
                if oldest is not None:
                    waits.append(max(1, math.ceil(oldest + self.window - now)))
        return max(waits) if waits else None

    def failed(self, username: str, address: str) -> None:
        now = self.now()
        with self.store.write() as conn:
            self._prune(conn, now)
            conn.execute(
                insert(login_failures),
                [
                    {"kind": USER, "key": _user_key(username), "failed_at": now},
                    {"kind": ADDRESS, "key": _address_key(address), "failed_at": now},
                ],
            )

    def succeeded(self, username: str) -> None:
        t = login_failures.c
        with self.store.write() as conn:
            self._prune(conn, self.now())
            conn.execute(delete(login_failures).where(t.kind == USER, t.key == _user_key(username)))

    def _oldest_counted(self, conn: Connection, kind: str, key: str, now: float) -> float | None:
        """When the allowance is used up, the failure whose leaving the window frees one
        attempt: the limit-th newest in the window (the oldest, unless concurrent
        failures overshot the limit). None while attempts remain."""
        t = login_failures.c
        query = (
            select(t.failed_at)
            .where(t.kind == kind, t.key == key, t.failed_at > now - self.window)
            .order_by(t.failed_at.desc())
            .offset(self.limits[kind] - 1)
            .limit(1)
        )
        found = conn.execute(query).scalar()
        return None if found is None else float(found)

    def _prune(self, conn: Connection, now: float) -> None:
        conn.execute(delete(login_failures).where(login_failures.c.failed_at <= now - self.window))


def _clean(text: str) -> str:
    # PostgreSQL text cannot hold NUL, nor UTF-8 a lone surrogate: neither is in a real key
    return text.replace("\x00", "\ufffd").encode("utf-8", "replace").decode("utf-8")


def _user_key(username: str) -> str:
    return _clean(username[:64].strip().casefold())[:KEY_LENGTH]


def _address_key(address: str) -> str:
    return _clean(address)[:KEY_LENGTH]


def throttle(request: Request) -> Throttle:
    """The app's throttle, on the platform's database (made once per app)."""
    state = request.app.state
    found = getattr(state, "login_throttle", None)
    if found is None:
        found = state.login_throttle = Throttle(get_platform(request).store)
    return found
