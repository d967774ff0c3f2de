"""A clock that can run faster than real time.

The quota limiter, the retry loop and the fake Xero all read time through one of these,
so a benchmark can squeeze Xero's minute into a few real seconds (``scale=10``: a Xero
minute lasts 6 s) while every component still agrees on what "now" is. Two processes
built with the same ``epoch`` and ``scale`` agree too.
"""
import datetime
import time


class Clock:
    def __init__(self, scale=1.0, epoch=None):
        if scale <= 0:
            raise ValueError("scale must be positive")
        self.scale = float(scale)
        self.epoch = time.time() if epoch is None else float(epoch)

    def now(self):
        """Simulated seconds since the Unix epoch."""
        return self.epoch + (time.time() - self.epoch) * self.scale

    def utcnow(self):
        return datetime.datetime.fromtimestamp(self.now(), datetime.timezone.utc)

    def sleep(self, seconds):
        """Sleep for ``seconds`` of simulated time."""
        if seconds > 0:
            time.sleep(seconds / self.scale)


REAL_CLOCK = Clock()
