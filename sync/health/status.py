"""Checks 4 to 6, from what Odoo knows: records in error, Xero calls used, the connection and its
webhook. No call to Xero."""
from datetime import timedelta

from odoo import fields

from ...tools.quota_store import PgQuotaStore
from ...xero.quota import Limiter
from ..engine import registry
from . import messages
from .findings import INFO, OPEN, Finding

QUOTA_HIGH = 0.8  # share of the day's background calls past which the quota is a finding
GRANT_OLD = timedelta(days=30)  # an OAuth grant lapses after 60 days unused: said halfway
WEBHOOK_QUIET = timedelta(days=14)


def records_in_error(check):
    env, connection = check.env, check.connection
    counts = env["xero.sync.error"].sudo()._xero_error_counts(connection)
    for name, count in counts.items():
        sync_type = registry.get(name)
        # Opens Xero → Sync errors on them: each with its reason and Resync.
        check.add(Finding("errors", messages.records_in_error(env, sync_type.label, count),
                          record=env["xero.sync.error"], name=sync_type.label, fix=OPEN,
                          domain=[("connection_id", "=", connection.id), ("object", "=", name)]))
    check.facts.append(messages.errors_fact(env, sum(counts.values())))


def quota(check):
    connection = check.connection
    if not connection.tenant_id:
        return
    limits = connection._xero_limits()
    used = Limiter(PgQuotaStore(check.env), limits).snapshot(connection.tenant_id)["day_used"]
    check.facts.append(messages.quota_fact(check.env, used, limits.day, limits.daily_reserve))
    budget = limits.day - limits.daily_reserve
    if used >= budget * QUOTA_HIGH:
        check.add(Finding("quota", messages.quota_high(check.env, used, budget), record=connection, fix=OPEN))


def connection(check):
    env, connection = check.env, check.connection
    state_label = dict(connection._fields["state"]._description_selection(env)).get(connection.state)
    renewed = connection.last_refresh
    check.facts.append(messages.connection_fact(env, state_label, renewed and messages.moment(env, renewed)))
    if connection.state != "connected":
        check.add(Finding("connection", messages.not_connected(env, state_label, connection.last_error),
                          record=connection, fix=OPEN))
        return
    if connection.unreachable_since:
        check.add(Finding("connection", messages.unreachable(env, messages.moment(env, connection.unreachable_since)),
                          record=connection, fix=OPEN))
    if connection.auth_type == "oauth" and renewed and renewed < fields.Datetime.now() - GRANT_OLD:
        check.add(Finding("connection", messages.grant_old(env, messages.day(env, renewed)), record=connection,
                          fix=OPEN))


def webhook(check):
    env, connection = check.env, check.connection
    if not connection.webhook_key_enc:
        check.facts.append(messages.webhook_off(env))
        return
    last = connection.webhook_last_event_at
    if not last:
        # (Xero's checks of the address are not deliveries: a webhook just set up has none yet.)
        check.facts.append(messages.webhook_fact(env, messages.webhook_never(env)))
        check.add(Finding("webhook", messages.webhook_silent(env), severity=INFO, record=connection, fix=OPEN))
        return
    check.facts.append(messages.webhook_fact(env, messages.moment(env, last)))
    if last < fields.Datetime.now() - WEBHOOK_QUIET:
        check.add(Finding("webhook", messages.webhook_quiet(env, messages.day(env, last)), severity=INFO,
                          record=connection, fix=OPEN))
