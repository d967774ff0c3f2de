"""Xero's consent page sends the administrator back here with a code (or a refusal).

Every outcome is a readable page and, when something went wrong, a row in the sync log;
never a traceback. The route needs a logged-in user: the state must belong to that user.
"""
import logging

from odoo import http
from odoo.http import request

from ..models.xero_connection import CALLBACK_ROUTE
from ..models.xero_oauth_state import OAuthStateError
from ..sync.engine import messages
from ..xero import oauth
from ..xero.errors import XeroError

_logger = logging.getLogger(__name__)


class XeroOAuthController(http.Controller):
    @http.route(CALLBACK_ROUTE, type="http", auth="user", methods=["GET"])
    def callback(self, state=None, code=None, error=None, error_description=None, **kw):
        env = request.env
        try:
            consent = env["xero.oauth.state"]._take(state)
        except OAuthStateError as exc:
            return self._page(env._("Xero connection refused"), str(exc), ok=False, log=True)
        connection = consent.connection_id
        if error or not code:
            message = (env._("The connection was not approved in Xero.") if error == "access_denied"
                       else env._("Xero answered with an error: %s", error_description or error or env._("no code")))
            return self._page(env._("Xero connection cancelled"), message, connection, ok=False, log=True)
        try:
            grant = oauth.exchange_code(connection._xero_endpoints(), connection.sudo().client_id,
                                        connection.sudo().client_secret, connection.callback_url,
                                        code, consent._verifier())
            connection._xero_store_grant(grant)
            tenants = connection._xero_tenants(grant["access_token"])
        except XeroError as exc:
            return self._page(env._("Xero connection failed"), str(exc), connection, ok=False, log=True)
        if not tenants:
            return self._page(env._("Xero connection failed"),
                              env._("The approval gave access to no Xero organisation."), connection,
                              ok=False, log=True)
        if len(tenants) == 1:
            return self._finish(consent, tenants[0])
        consent.write({"status": "picking", "tenants": tenants})
        return request.render("xero_connector.oauth_pick", {"consent": consent, "tenants": tenants})

    @http.route("/xero_connector/oauth/pick", type="http", auth="user", methods=["POST"])
    def pick(self, state_id=None, tenant_id=None, **kw):
        env = request.env
        consent = env["xero.oauth.state"].sudo().browse(int(state_id or 0)).exists()
        if (not consent or consent.user_id != env.user or consent.status != "picking"):
            return self._page(env._("Xero connection refused"),
                              env._("This choice does not match a connection in progress."), ok=False, log=True)
        tenant = next((t for t in consent.tenants or [] if t.get("tenantId") == tenant_id), None)
        if not tenant:
            return self._page(env._("Choose an organisation"), env._("Pick one of the organisations offered."),
                              consent.connection_id, ok=False)
        return self._finish(consent, tenant)

    def _finish(self, consent, tenant):
        connection = consent.connection_id
        connection._xero_set_tenant(tenant)
        consent.write({"status": "done", "tenants": False})
        env = request.env
        connection.message_post(body=env._("Connected to Xero organisation %s.", tenant.get("tenantName")))
        queued = messages.queued(env, connection._xero_waiting())
        return self._page(env._("Connected to Xero"), "%s. %s" % (
            env._("Organisation: %s", tenant.get("tenantName")), queued), connection)

    def _page(self, title, message, connection=None, ok=True, log=False):
        if log:
            _logger.info("Xero consent callback: %s", message)
            request.env["xero.sync.log"].sudo().create({
                "connection_id": connection.id if connection else False,
                "company_id": connection.company_id.id if connection else request.env.company.id,
                "direction": "in", "operation": "OAuth callback", "result": "error", "message": message})
        response = request.render("xero_connector.oauth_result", {
            "title": title, "message": message, "ok": ok, "connection": connection})
        response.status_code = 200 if ok else 400
        return response
