"""Per-user sliding-window limit on questions: answering is the one expensive thing a teacher can repeat."""

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
