import threading
import uuid

from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, tagged

from odoo.addons.xero_connector.tools.quota_store import PgQuotaStore
from odoo.addons.xero_connector.xero.clock import Clock
from odoo.addons.xero_connector.xero.quota import Limiter, Limits


@tagged("post_install", "-at_install")
class TestPgQuotaStore(TransactionCase):
    """Workers with their own database cursors share one organisation's budget."""

    def test_workers_share_the_minute_budget_through_postgresql(self):
        key = "test-" + uuid.uuid4().hex
        clock = Clock(600.0)  # a Xero minute lasts 0.1 s
        starts, errors = [], []
        lock = threading.Lock()

        def worker():
            try:
                with self.registry.cursor() as cr:
                    cr.transaction = api.Transaction(self.registry)  # (see common.committed_env)
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    limiter = Limiter(PgQuotaStore(env), Limits(minute=8, concurrent=2, margin=0.5), clock)
                    for _ in range(8):
                        lease = limiter.acquire(key)
                        with lock:
                            starts.append(clock.now())
                        clock.sleep(0.3)
                        limiter.release(key, lease)
            except Exception as exc:  # noqa: BLE001 - asserted below
                errors.append(exc)

        threads = [threading.Thread(target=worker) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        try:
            self.assertFalse(errors)
            self.assertEqual(len(starts), 24)
            starts.sort()
            busiest = max(sum(1 for t in starts if s <= t < s + 60) for s in starts)
            self.assertLessEqual(busiest, 8, "three workers together stay within one budget")
            with self.registry.cursor() as cr:
                cr.execute("SELECT state FROM xero_quota WHERE key = %s", (key,))
                state = cr.fetchone()[0]
                self.assertEqual(sum(state["hours"].values()), 24, "every call was counted once")
                self.assertEqual(state["inflight"], {})
        finally:
            with self.registry.cursor() as cr:
                cr.execute("DELETE FROM xero_quota WHERE key = %s", (key,))
