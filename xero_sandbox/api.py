"""The Accounting API pipeline, in the order Xero applies it:

authentication (401) -> tenant connected to the token (403) -> rate limits (429, a refused
call does not count) -> latency -> route (404/405) -> scope (403) -> Idempotency-Key replay
-> the resource handler. Every answer carries the X-*Limit-Remaining headers and a
Xero-Correlation-Id.
"""
import json
import traceback
import uuid

from . import shapes
from .accounting import ApiContext, ApiError, NOT_FOUND_TEXT
from .idempotency import MAX_KEY_LENGTH, fingerprint
from .identity import OAuthError

API_BASE = "/api.xro/2.0"


class Reply:
    def __init__(self, status, body=b"", content_type="application/json", headers=None):
        self.status = status
        self.body = body if isinstance(body, bytes) else body.encode("utf-8")
        self.content_type = content_type
        self.headers = dict(headers or {})


def json_reply(status, obj, headers=None):
    return Reply(status, json.dumps(obj), "application/json; charset=utf-8", headers)


def handle_api(fx, rec, rel_path):
    tenant_id = rec.headers.get("xero-tenant-id")
    try:
        token = fx.identity.bearer(rec.headers.get("Authorization"))
    except OAuthError as err:
        reply = json_reply(401, shapes.problem(401, "Unauthorized", err.error),
                           {"WWW-Authenticate": 'Bearer error="invalid_token"'})
        return _finish(fx, reply, tenant_id, None)
    app_id = token.app.client_id
    tenant = fx.store.get(tenant_id) if tenant_id else None
    if tenant is None or token.app.connection_for(tenant.tenant_id) is None:
        reply = json_reply(403, shapes.problem(403, "Forbidden", "AuthenticationUnsuccessful"))
        return _finish(fx, reply, tenant_id, app_id)

    refusal = fx.limiter.acquire(tenant.tenant_id, app_id)
    if refusal is not None:
        reply = json_reply(429, shapes.problem(429, "Too Many Requests",
                                               "Rate limit exceeded: %s" % refusal.problem),
                           {"Retry-After": str(refusal.retry_after),
                            "X-Rate-Limit-Problem": refusal.problem})
        return _finish(fx, reply, tenant.tenant_id, app_id)
    try:
        if fx.latency:
            fx.clock.sleep(fx.latency)
        reply = _route(fx, rec, rel_path, token, tenant)
    finally:
        fx.limiter.release(tenant.tenant_id)
    return _finish(fx, reply, tenant.tenant_id, app_id)


def _finish(fx, reply, tenant_id, app_id):
    minute, day, app_minute = fx.limiter.remaining(tenant_id, app_id)
    reply.headers.update({
        "X-MinLimit-Remaining": str(minute),
        "X-DayLimit-Remaining": str(day),
        "X-AppMinLimit-Remaining": str(app_minute),
        "Xero-Correlation-Id": str(uuid.uuid4()),
    })
    return reply


def _route(fx, rec, rel_path, token, tenant):
    route, params = fx.router.match(rec.method, rel_path)
    if route is None:
        if params:     # the path exists, with other methods
            return Reply(405, "Method not allowed", "text/plain; charset=utf-8")
        return Reply(404, NOT_FOUND_TEXT, "text/plain; charset=utf-8")
    if not token.scopes & set(route.scopes):
        return json_reply(403, shapes.problem(403, "Forbidden", "AuthorizationUnsuccessful"))

    ctx = ApiContext(rec.method, rel_path, rec.query, rec.headers, rec.body, tenant,
                     fx.clock, token.app.name)
    ctx.params = params
    key = rec.headers.get("Idempotency-Key") if rec.method in ("PUT", "POST") else None
    if not key:
        return _run(route, ctx)
    if len(key) > MAX_KEY_LENGTH:
        return json_reply(400, shapes.problem(
            400, "Bad Request", "Idempotency-Key must be at most %d characters" % MAX_KEY_LENGTH))
    state, entry = fx.idempotency.begin(tenant.tenant_id, key,
                                        fingerprint(rec.method, rel_path, rec.query, rec.body))
    if state == "conflict":
        return json_reply(400, shapes.problem(
            400, "Bad Request",
            "The Idempotency-Key %s was already used for a different request" % key))
    if state == "replay":
        status, body, content_type = entry
        return Reply(status, body, content_type)
    try:
        reply = _run(route, ctx)
    except BaseException:
        fx.idempotency.abandon(tenant.tenant_id, key, entry)
        raise
    if reply.status >= 500:
        fx.idempotency.abandon(tenant.tenant_id, key, entry)    # let a retry run for real
    else:
        fx.idempotency.finish(entry, reply.status, reply.body, reply.content_type)
    return reply


def _run(route, ctx):
    try:
        response = route.handler(ctx)
        return Reply(response.status, response.encoded(), response.content_type)
    except ApiError as err:
        body = err.body if isinstance(err.body, (str, bytes)) else json.dumps(err.body)
        return Reply(err.status, body, err.content_type)
    except Exception:
        # A bug in the fake: say so loudly rather than look like a Xero answer.
        return Reply(500, "fake Xero internal error\n" + traceback.format_exc(),
                     "text/plain; charset=utf-8")
