from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import XeroCase


@tagged("post_install", "-at_install")
class TestSyncLog(XeroCase):
    def test_failed_calls_are_logged_with_status_and_correlation(self):
        self.connect()
        self.fake.faults.add("503", path="/api.xro/2.0/Organisation", times=2)
        action = self.connection.action_test()
        self.assertEqual(action["params"]["type"], "success", "retried until Xero answered")
        logs = self.env["xero.sync.log"].search([("connection_id", "=", self.connection.id)])
        self.assertEqual(len(logs), 1, "one row for the action, not one per attempt")
        self.assertEqual((logs.http_status, logs.result, logs.operation), (503, "success", "GET Organisation"),
                         "Xero answered in the end: no error")
        self.assertIn("503", logs.message)
        self.assertIn("after 2 failed attempts", logs.message)
        self.assertEqual(logs.action, "Read the organisation's details from Xero")

    def test_old_rows_are_purged(self):
        log = self.env["xero.sync.log"]
        old, new = log.create([{"operation": "old", "connection_id": self.connection.id},
                               {"operation": "new", "connection_id": self.connection.id}])
        self.env.flush_all()
        self.env.cr.execute("UPDATE xero_sync_log SET create_date = %s WHERE id = %s",
                            (fields.Datetime.now() - timedelta(days=91), old.id))
        log._cron_purge()
        self.assertFalse(old.exists())
        self.assertTrue(new.exists())
