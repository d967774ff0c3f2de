"""Xero's webhook deliveries: checked, stored, answered at once.

Xero wants a 200 with an empty body within 5 seconds for a correctly signed delivery, and a 401
for anything else; its intent-to-receive check sends both kinds and disables the webhook unless
each gets its answer. So nothing here calls Xero: the events are stored and the scheduled action
that reads their records is started (``xero.webhook.event``, ``sync/engine/webhooks.py``).

The address carries the connection's token, so the server must know the database from the
address alone (one database, or ``dbfilter``); no session cookie is set.
"""
import logging

from odoo import http
from odoo.http import request

from ..models.xero_connection_webhook import WEBHOOK_ROUTE
from ..sync.engine import messages
from ..xero import webhooks

_logger = logging.getLogger(__name__)


class XeroWebhookController(http.Controller):
    @http.route(WEBHOOK_ROUTE + "<string:token>", type="http", auth="public", methods=["POST"], csrf=False,
                save_session=False)
    def deliver(self, token, **_kw):
        body = request.httprequest.get_data()
        env = request.env(su=True)
        connection = env["xero.connection"].search([("webhook_token", "=", token)], limit=1) if token else None
        if not connection or not webhooks.is_signed(body, request.httprequest.headers.get(webhooks.SIGNATURE_HEADER),
                                                    connection.webhook_key):
            return self._answer(401)
        try:
            events = webhooks.events(body)
        except webhooks.MalformedDelivery as exc:
            _logger.warning("Xero webhook of connection %s: unreadable delivery: %s", connection.id, exc)
            self._log(connection, messages.malformed_delivery(env, connection.display_name))
            return self._answer(400)
        tenant = (connection.tenant_id or "").lower()
        if not events or not tenant:
            # An intent-to-receive probe, events of no concern to us, or a connection not connected
            # to an organisation yet (its next Connect reads everything anyway).
            return self._answer(200)
        ours = [event for event in events if event.tenant_id == tenant]
        if len(ours) < len(events):
            self._log(connection, messages.foreign_tenant(env, connection.display_name, len(events) - len(ours)))
        if ours:
            env["xero.webhook.event"]._receive(connection, ours)
        return self._answer(200)

    @staticmethod
    def _answer(status):
        return request.make_response(b"", status=status)

    @staticmethod
    def _log(connection, message):
        request.env["xero.sync.log"].sudo()._log_records(connection, [
            {"direction": "in", "operation": "webhook", "result": "error", "message": message}])
