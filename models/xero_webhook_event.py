"""Changes Xero's webhooks announced: stored as they arrive, read back by a scheduled action.

One row per event: which record (category and Xero id), what happened, when Xero says it did.
The same event delivered twice (Xero retries a delivery it thinks failed) is kept once: the
unique key below, and the insert that skips what it already has. Rows handled more than
``KEEP_DAYS`` ago are removed by the same scheduled action.
"""
from datetime import timedelta

from psycopg2.extras import execute_values

from odoo import api, fields, models

from ..sync.engine import webhooks
from ..tools import side_cursor
from ..xero import webhooks as xero_webhooks

KEEP_DAYS = 30
TRIGGER_BURST = 2  # seconds: deliveries this close start one run of the read
CRON = "xero_connector.ir_cron_xero_webhooks"
RUN_LOCK = 7317  # advisory lock (this number, the cron's id): a run of the read is under way
LABELS = {"CONTACT": "Contact", "INVOICE": "Invoice", "CREDITNOTE": "Credit note"}


class XeroWebhookEvent(models.Model):
    _name = "xero.webhook.event"
    _description = "Change announced by Xero"
    _order = "id desc"
    _rec_name = "resource_id"
    _log_access = False  # written by one statement per delivery: received_at says when

    connection_id = fields.Many2one("xero.connection", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one("res.company", required=True, index=True)
    category = fields.Selection([(category, LABELS[category]) for category in xero_webhooks.CATEGORIES], required=True)
    event_type = fields.Selection([("CREATE", "Created"), ("UPDATE", "Changed")], "Change", required=True)
    resource_id = fields.Char("Xero ID", required=True)
    event_date = fields.Datetime("Changed in Xero at", required=True)
    received_at = fields.Datetime("Received at", required=True)
    state = fields.Selection([("new", "To read"), ("done", "Read")], required=True, default="new", index=True)
    done_at = fields.Datetime("Read at")

    _sql_constraints = [("event_uniq", "unique(connection_id, category, resource_id, event_type, event_date)",
                         "Xero's events are kept once.")]

    @api.model
    def _receive(self, connection, events):
        """Store the events of one delivery (``xero/webhooks.Event``) for ``connection`` (events
        already stored are skipped), note the delivery and start the read. In a short transaction
        of its own at READ COMMITTED, committed before Xero gets its answer: a replay arriving while
        its original is being stored then waits for it and skips its events, where the request's
        own snapshot would fail on them and make Odoo run the whole request again, seconds later.
        Returns how many events are new."""
        if not events:
            return 0
        now = fields.Datetime.now()
        rows = [(connection.id, connection.company_id.id, e.category,
                 e.type if e.type in ("CREATE", "UPDATE") else "UPDATE", e.resource_id, e.date, now, "new")
                for e in events]
        with side_cursor.side_env(self.env) as env:
            cr = env.cr
            inserted = execute_values(cr, """
                INSERT INTO xero_webhook_event (connection_id, company_id, category, event_type, resource_id,
                                                event_date, received_at, state)
                VALUES %s ON CONFLICT DO NOTHING RETURNING id""", rows, fetch=True)
            # When Xero last delivered: at most once a minute, never waiting for the connection's
            # row (another transaction may hold it longer than Xero waits for an answer).
            cr.execute("""
                UPDATE xero_connection SET webhook_last_event_at = %(now)s
                 WHERE id = (SELECT id FROM xero_connection WHERE id = %(id)s AND (webhook_last_event_at IS NULL
                             OR webhook_last_event_at < %(now)s - interval '1 minute') FOR NO KEY UPDATE SKIP LOCKED)
            """, {"id": connection.id, "now": now})
            if inserted:
                env["xero.webhook.event"]._trigger_once()
        connection.invalidate_recordset(["webhook_last_event_at"])
        return len(inserted)

    @api.model
    def _trigger_once(self):
        """Start the read now, unless a delivery of the last seconds did and no run is under way:
        a burst of deliveries starts one run. While a run is under way every delivery starts the
        next one (the run drops the requests to start it made before it began)."""
        cron = self.env.ref(CRON, raise_if_not_found=False)
        if not cron:
            return
        self.env.cr.execute("""
            SELECT 1 FROM ir_cron_trigger
             WHERE cron_id = %(cron)s
               AND call_at BETWEEN (clock_timestamp() at time zone 'UTC') - make_interval(secs => %(burst)s)
                               AND clock_timestamp() at time zone 'UTC'
               AND NOT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted
                                  AND classid = %(lock)s AND objid = %(cron)s)
             LIMIT 1""", {"cron": cron.id, "burst": TRIGGER_BURST, "lock": RUN_LOCK})
        if not self.env.cr.fetchone():
            cron.sudo()._trigger()

    @api.model
    def _cron_process(self):
        """Read the records the pending events named, for every connected connection; called
        again at once while events remain, and when the quota or Xero allow it otherwise. The
        run shows it is under way to the deliveries (``_trigger_once``) by an advisory lock held
        by a transaction of its own for as long as the run: released however the run ends."""
        cron = self.env.ref(CRON)
        with self.env.registry.cursor() as marker:
            marker.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", (RUN_LOCK, cron.id))
            return self._process_connections()

    @api.model
    def _process_connections(self):
        done = left = 0
        now, later = False, []
        for connection in self.env["xero.sync.state"]._connected():
            progress = webhooks.process(connection)
            done += progress.done
            left += progress.left
            if progress.retry_at:
                later.append(progress.retry_at)  # Xero or the quota stopped it: its events wait until then
            elif progress.left and not progress.stopped:
                now = True  # more than a run reads, or arrived meanwhile
        # Events nobody will read (a connection disconnected since), and those read long ago.
        self.env.cr.execute("""
            DELETE FROM xero_webhook_event
             WHERE (state = 'done' AND done_at < %(old)s) OR (state = 'new' AND received_at < %(old)s)""",
            {"old": fields.Datetime.now() - timedelta(days=KEEP_DAYS)})
        self.env["ir.cron"]._notify_progress(done=done, remaining=left if done else 0)
        State = self.env["xero.sync.state"]
        if now:
            State._trigger("webhooks")
        if later:
            State._trigger("webhooks", min(later))
        return done
