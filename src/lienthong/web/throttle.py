"""Login throttling: failed password attempts counted per username and per client address.

Each failure counts in a moving 15-minute window (the `limits` library's moving-window
limiter in process memory). Past 5 failures for a username, or 30 from one address, further
attempts are refused with 429 and Retry-After *before* the password is checked, so a guesser
learns nothing and costs no password hash. A successful login clears its username's count.

The counts live in each server process: with N workers a guesser gets at most N times the
allowance, and a restart forgets them (documented in docs/operations.md).

>>> t = Throttle(per_user=2, per_address=10)
>>> t.retry_after("lan", "127.0.0.1") is None
True
>>> t.failed("lan", "127.0.0.1"); t.failed("lan", "127.0.0.1")
>>> 0 < (t.retry_after("lan", "127.0.0.1") or 0) <= 900
True
>>> t.succeeded("lan"); t.retry_after("lan", "127.0.0.1") is None
True
"""

from __future__ import annotations

import math
import time

from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from starlette.requests import Request

WINDOW_MINUTES = 15
PER_USER = 5
PER_ADDRESS = 30


class Throttle:
    """Failed-login counters for usernames and client addresses."""

    def __init__(self, per_user: int = PER_USER, per_address: int = PER_ADDRESS) -> None:
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._user = RateLimitItemPerMinute(per_user, WINDOW_MINUTES, namespace="login-user")
        self._address = RateLimitItemPerMinute(
            per_address, WINDOW_MINUTES, namespace="login-address"
        )

    def retry_after(self, username: str, address: str) -> int | None:
        """Seconds to wait when either counter is exhausted, else None."""
        waits = [
            self._wait(item, key)
            for item, key in ((self._user, _user_key(username)), (self._address, address))
            if not self._limiter.test(item, key)
        ]
        return max(waits) if waits else None

    def failed(self, username: str, address: str) -> None:
        self._limiter.hit(self._user, _user_key(username))
        self._limiter.hit(self._address, address)

    def succeeded(self, username: str) -> None:
        self._limiter.clear(self._user, _user_key(username))

    def _wait(self, item: RateLimitItemPerMinute, key: str) -> int:
        reset = self._limiter.get_window_stats(item, key).reset_time
        return max(1, math.ceil(reset - time.time()))


def _user_key(username: str) -> str:
    return username[:64].strip().casefold()


def throttle(request: Request) -> Throttle:
    """The app's throttle (one per app in this process)."""
    state = request.app.state
    found = getattr(state, "login_throttle", None)
    if found is None:
        found = state.login_throttle = Throttle()
    return found
