"""Hold the cyclic garbage collector off during a bounded, allocation-heavy computation.

An indicator update builds a few hundred thousand short-lived tuples and dicts. With the
collector on, they are live when the young generations fill, get promoted, and tip the
oldest generation into a full collection: 70–100 ms over the whole heap, a third of the
update's budget, paid for objects that die by reference counting a moment later. Held off
for the computation, those objects are never promoted (the young count falls again as they
are freed), so the full collection is not deferred but mostly avoided; the few cycles made
meanwhile are collected by the next ordinary collection.

The collector is process-wide, so the pause is counted: it is switched back on when the
last overlapping pause ends, and only if it was on when the first began.

>>> import gc
>>> with paused():
...     with paused():
...         pass
...     gc.isenabled()  # still held: the outer pause has not ended
False
>>> gc.isenabled()
True
>>> gc.disable()
>>> with paused():
...     pass
>>> gc.isenabled()  # off before, off after
False
>>> gc.enable()
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def paused() -> Iterator[None]:
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
