"""The platform's default retry policy for connector actions.

Power Automate retries a failed action on 408, 429 and 5xx answers (and on connection failures) with an
exponential interval policy: up to 4 retries, intervals that grow exponentially in units of 7.5 s, each
drawn at random from its range and clamped to 5..45 s. A ``Retry-After`` answer header overrides the drawn
interval. ``time_scale`` multiplies every wait, so tests run the same policy in milliseconds.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Callable

RETRY_STATUSES = frozenset({408, 429})


def retryable(status: int) -> bool:
    return status in RETRY_STATUSES or 500 <= status <= 599


@dataclass
class RetryPolicy:
    count: int = 4
    interval: float = 7.5
    minimum: float = 5.0
    maximum: float = 45.0
    time_scale: float = 1.0
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random = field(default_factory=random.Random)
    waits: list[float] = field(default_factory=list)  # every wait taken, in seconds (after scaling)

    def interval_range(self, retry: int) -> tuple[float, float]:
        """Seconds (unscaled) to wait before retry number ``retry`` (1-based): from
        ``interval * 2**(retry-2)`` (0 for the first) to ``interval * 2**(retry-1)``, clamped."""
        low = 0.0 if retry == 1 else self.interval * 2 ** (retry - 2)
        high = self.interval * 2 ** (retry - 1)
        low = min(max(low, self.minimum), self.maximum)
        high = min(max(high, self.minimum), self.maximum)
        return low, high

    def delay(self, retry: int, retry_after: str | None = None) -> float:
        """The wait before retry ``retry``, scaled; ``Retry-After`` (seconds or HTTP date) wins."""
        after = parse_retry_after(retry_after)
        if after is not None:
            return after * self.time_scale
        low, high = self.interval_range(retry)
        return self.rng.uniform(low, high) * self.time_scale

    def wait(self, retry: int, retry_after: str | None = None) -> float:
        seconds = self.delay(retry, retry_after)
        self.waits.append(seconds)
        self.sleep(seconds)
        return seconds

    @classmethod
    def fast(cls, scale: float = 0.001, **kw) -> "RetryPolicy":
        """The production policy with every wait scaled (default: milliseconds for seconds)."""
        return cls(time_scale=scale, **kw)


def parse_retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
