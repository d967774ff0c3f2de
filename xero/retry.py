"""When to try a failed call again, and how long to wait first.

Only this module decides retries: the SDK's own urllib3 retries are switched off in
``client.py``. Timeouts, dropped connections and 5xx are retried with exponential backoff
and full jitter, a bounded number of times; a 429 is retried after the limiter has waited
out Retry-After (``quota.Limiter.block``), so no extra sleep is added here. Everything else
(validation, authentication, not found) fails at once: trying again cannot help.
"""
import tenacity

from .clock import REAL_CLOCK
from .errors import RateLimitError


class RetryPolicy:
    def __init__(self, attempts=5, initial=1.0, maximum=30.0):
        self.attempts = attempts  # tries in all, the first included
        self.initial = initial  # seconds (of the clock) before the first retry
        self.maximum = maximum  # no single wait longer than this

    def run(self, fn, clock=REAL_CLOCK, on_retry=None):
        """Call ``fn()`` until it succeeds, fails for good, or the attempts are spent."""
        backoff = tenacity.wait_random_exponential(multiplier=self.initial, max=self.maximum)

        def wait(retry_state):
            error = retry_state.outcome.exception()
            return 0 if isinstance(error, RateLimitError) else backoff(retry_state)

        def before_sleep(retry_state):
            if on_retry:
                on_retry(retry_state.outcome.exception(), retry_state.attempt_number)

        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(self.attempts),
            wait=wait,
            retry=tenacity.retry_if_exception(lambda e: getattr(e, "retryable", False)),
            sleep=clock.sleep,
            before_sleep=before_sleep,
            reraise=True,
        )
        return retrying(fn)
