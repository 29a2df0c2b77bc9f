"""Per-actor rate limits: a sliding window over the last minute, the one expensive thing people repeat.

Asking (and quizzing, which asks) costs a retrieval and an answer; a flood from one account should slow
that account down, not every teacher. The limiter lives in the core so the API and the bot throttle the
same way; the operator at the command line (``Actor.local``) is not throttled.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable


class RateLimiter:
    """At most ``limit`` events per ``window`` seconds per key; in memory, so per process."""

    def __init__(self, limit: int, window: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._events: dict[object, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: object) -> int:
        """Record one event; 0 if allowed, else the whole seconds to wait before the next one would be."""
        now = self.clock()
        with self._lock:
            events = self._events.setdefault(key, deque())
            while events and events[0] <= now - self.window:
                events.popleft()
            if len(events) >= self.limit:
                return max(1, math.ceil(events[0] + self.window - now))
            events.append(now)
            return 0
