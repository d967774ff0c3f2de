"""The weekly reconciliation's place in each object's sync state, and its scheduled action.

A pass compares every record of an object with Xero, whatever the pull's watermark (see
``sync/engine/reconcile.py``). It takes several runs when there is much to read or the quota runs
short: the state keeps when the pass under way started and which page of Xero's list comes next,
so the next run goes on from there; a new pass starts once the last one is done and due again.
"""
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from ..sync.engine import reconcile, registry

RECONCILE_PAGES = 20  # pages (1,000 records) per object and connection in one run
DEFAULT_PERIOD = timedelta(days=7)


class XeroSyncState(models.Model):
    _inherit = "xero.sync.state"

    reconcile_started_at = fields.Datetime(
        "Full comparison under way since", copy=False,
        help="When the comparison of every record with Xero now under way started. Empty: none is under way.")
    reconcile_page = fields.Integer(
        "Next page to compare", copy=False,
        help="Where the comparison under way goes on: the next page of Xero's list of records to read. "
             "Zero once the whole list is read: the records it did not show are then read one by one.")
    reconciled_at = fields.Datetime(
        "Last full comparison", copy=False,
        help="When the last comparison of every record with Xero ended; it catches the changes, archived, deleted "
             "and voided records the regular reads missed.")

    @api.model
    def _cron_reconcile(self):
        """Go on with the reconciliation of each object of each connection (a bounded number of
        pages each, in dependency order), starting a new pass where one is due; call again while
        passes have pages left, and when the quota or Xero lets a stopped one go on."""
        done = more = 0
        retries = []
        period = self._reconcile_period()
        for connection in self._connected():
            for sync_type in registry.ordered():
                sync = sync_type(connection)
                state = sync.state
                if state.paused or not state._reconcile_due(period):
                    continue
                if not state.reconcile_started_at:
                    reconcile.start(sync)
                result = reconcile.reconcile(sync, RECONCILE_PAGES)
                done += result.done
                more += result.more
                retries.append(result.retry_at)
                if result.stopped:
                    break  # quota spent or the connection refused: later objects would fail alike
        return self._reschedule("reconcile", done, more, retries)

    def _reconcile_due(self, period):
        """A pass under way goes on. A new one starts when the last one ended more than half the
        scheduled action's interval ago: the runs a pass triggered itself start none once it is
        done, and the next scheduled run starts one even after a pass the quota drew out over
        days. The pull's first read is a full read already: nothing to compare before it."""
        self.ensure_one()
        if self.reconcile_started_at:
            return True
        if not self.pulled_at:
            return False
        return not self.reconciled_at or self.reconciled_at <= fields.Datetime.now() - period / 2

    @api.model
    def _reconcile_period(self):
        """The scheduled action's interval (weekly unless an administrator changed it)."""
        cron = self.env.ref("xero_connector.ir_cron_xero_reconcile", raise_if_not_found=False)
        if not cron or not cron.interval_number:
            return DEFAULT_PERIOD
        now = fields.Datetime.now()
        return now + relativedelta(**{cron.interval_type: cron.interval_number}) - now
