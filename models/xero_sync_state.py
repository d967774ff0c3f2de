"""Where the sync of one object stands with one connection, and the engine's scheduled actions.

One row per connection and object (customers, products...): paused or not, the pull's watermark
(Xero's last change already read), and when the records that existed before the connection were
given their links. The two scheduled actions run every object of every connection in the
registry's dependency order (customers before products before documents), so background work
shares the organisation's quota in that order.
"""
from odoo import api, fields, models

from ..sync.engine import pull, push, registry
from ..sync.orders import payments

PULL_PAGES = 20  # pages (1,000 records) per object and connection in one run of the pull


class XeroSyncState(models.Model):
    _name = "xero.sync.state"
    _description = "Xero sync state of one object"
    _order = "connection_id, object"
    _rec_name = "object"

    connection_id = fields.Many2one("xero.connection", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="connection_id.company_id", store=True)
    object = fields.Selection(lambda self: registry.selection(), required=True)
    paused = fields.Boolean(help="Neither sent to nor read from this Xero organisation while paused; changes made "
                                 "meanwhile are sent when the sync resumes.")
    pulled_at = fields.Datetime("Read up to", copy=False,
                                help="Xero's last change date of the records already read into Odoo: the next read "
                                     "asks for records changed since then.")
    payments_pulled_at = fields.Datetime(
        "Removed payments read up to", copy=False,
        help="Invoices only: the last removal of a payment in Xero already read (see sync/orders/payments.py).")
    pull_more = fields.Boolean("Pages left", copy=False,
                               help="The last read stopped with pages left: the next run goes on with them first.")
    linked_at = fields.Datetime("Existing records linked at", copy=False,
                                help="When the records that existed before the connection were given a link to sync.")

    _sql_constraints = [("connection_object_uniq", "unique(connection_id, object)",
                         "One sync state per connection and object.")]

    @api.model
    def _for(self, connection, name):
        """The row of ``connection`` and object ``name``, created on first use (concurrent first
        uses create one row: the insert yields to the one that got there first)."""
        state = self.sudo().search([("connection_id", "=", connection.id), ("object", "=", name)])
        if state:
            return state
        self.flush_model()
        self.env.cr.execute("""
            INSERT INTO xero_sync_state (connection_id, company_id, object, paused, create_uid, write_uid,
                                         create_date, write_date)
            SELECT id, company_id, %s, false, %s, %s, now() at time zone 'UTC', now() at time zone 'UTC'
              FROM xero_connection WHERE id = %s
                ON CONFLICT (connection_id, object) DO NOTHING""", (name, self.env.uid, self.env.uid, connection.id))
        self.invalidate_model()
        return self.sudo().search([("connection_id", "=", connection.id), ("object", "=", name)])

    def write(self, vals):
        if "paused" in vals:
            for state in self.filtered(lambda s: s.paused != bool(vals["paused"])):
                label = dict(self._fields["object"]._description_selection(self.env))[state.object]
                state.connection_id.message_post(body=(
                    self.env._("%(object)s sync paused.", object=label) if vals["paused"]
                    else self.env._("%(object)s sync resumed.", object=label)))
        result = super().write(vals)
        if vals.get("paused") is False:
            self._trigger("push")
        return result

    # -- the scheduled actions ----------------------------------------------------------------
    @api.model
    def _connected(self):
        """The connections the scheduled actions work for: connected to an organisation now."""
        return self.env["xero.connection"].sudo().search([("tenant_id", "!=", False)]).filtered(
            lambda c: c.state == "connected")

    @api.model
    def _trigger(self, direction, at=None):
        cron = self.env.ref("xero_connector.ir_cron_xero_%s" % direction, raise_if_not_found=False)
        if cron:
            cron.sudo()._trigger(at)

    @api.model
    def _reschedule(self, cron, done, left, retries=()):
        """The end of a run of the scheduled action ``ir_cron_xero_<cron>``: its progress for the
        cron runner, called again at once while work that can go on now remains (only if this run
        did some: otherwise the next one would do no better), and at the first of ``retries``
        (when the quota or Xero let a stopped one go on)."""
        self.env["ir.cron"]._notify_progress(done=done, remaining=left if done else 0)
        if left and done:
            self._trigger(cron)
        retries = [at for at in retries if at]
        if retries:
            self._trigger(cron, min(retries))
        return done

    @api.model
    def _cron_push(self, objects=None):
        """Push a batch of each object of each connection, objects in dependency order; call
        again while work that can go on now remains (the cron runner re-runs a job that reports
        remaining work), and when the quota or Xero allow it otherwise."""
        done = remaining = 0
        retries = []
        for connection in self._connected():
            for sync_type in registry.ordered(objects):
                if sync_type.mirror:
                    continue  # read-only: nothing to send
                sync = sync_type(connection)
                if sync.state.paused:
                    continue
                result = push.push_pending(sync)
                done += result.done
                retries.append(result.retry_at)
                if result.stopped:
                    break  # quota spent or the connection refused: later objects would fail alike
                remaining += result.remaining
        return self._reschedule("push", done, remaining, retries)

    @api.model
    def _cron_pull(self, objects=None):
        """Read what changed in Xero, a bounded number of pages per object and connection (each
        committed); the cron runner calls again while some had more."""
        done = more = 0
        for connection in self._connected():
            for sync_type in registry.ordered(objects):
                if objects is None and sync_type.own_pull:
                    continue  # read by a scheduled action of its own (sales documents)
                sync = sync_type(connection)
                if sync.state.paused:
                    continue
                result = pull.pull(sync, max_pages=PULL_PAGES)
                done += result.done
                more += result.more
                if result.stopped:
                    break
        return self._reschedule("pull", done, more)

    @api.model
    def _cron_pull_documents(self):
        """Payments back: what changed in Xero on the orders' quotes and invoices, the payments
        removed there, and the receivables mirror (``ir_cron_xero_invoices_pull``)."""
        done = more = 0
        for connection in self._connected():
            read, left, _stopped = payments.pull_documents(connection, PULL_PAGES)
            done += read
            more += left
        return self._reschedule("invoices_pull", done, more)
