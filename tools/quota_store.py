"""The quota limiter's store on PostgreSQL: one row per Xero organisation.

Every worker of every server sharing the database goes through the same row, serialised
by an advisory lock, in a transaction of its own (committed at once, so a call counted is
counted for everybody even if the caller's transaction later rolls back).
"""
import contextlib
import json

from .side_cursor import side_env


class PgQuotaStore:
    def __init__(self, env):
        self.env = env

    @contextlib.contextmanager
    def state(self, key):
        with side_env(self.env) as env:
            cr = env.cr
            cr.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", ("xero_quota:" + key,))
            cr.execute("SELECT state FROM xero_quota WHERE key = %s", (key,))
            row = cr.fetchone()
            state = row[0] if row else {}
            yield state
            cr.execute("""INSERT INTO xero_quota (key, state) VALUES (%s, %s)
                          ON CONFLICT (key) DO UPDATE SET state = EXCLUDED.state""",
                       (key, json.dumps(state)))
