"""One health check of one connection: the checks in order, each on its own, and what they found.

The checks that read Xero share one client and each catches its own ``XeroError``: one that
fails is reported as not checked, with the reason. When Xero is out of reach, refuses the
connection or the quota is spent, the checks after it would fail alike, so they are not tried
(a button waits for no more retries than one). The checks of what Odoo knows always run.
"""
from ...xero import errors
from ...xero.errors import XeroError
from . import contacts, messages, spot, status

SAMPLE_PARAM = "xero_connector.health_sample"
DEFAULT_SAMPLE = 20
# (name, function(check, client)): the checks that read Xero, cheapest first.
XERO_CHECKS = (("orders", spot.orders), ("partners", spot.partners), ("duplicates", contacts.xero_duplicates))
# What makes the checks after a failed one fail alike: not tried.
STOPPERS = (errors.QUOTA, errors.AUTH, errors.TRANSIENT)


class HealthCheck:
    """``findings``: what needs looking at (``findings.Finding``); ``facts``: one plain sentence
    per check, for the summary; ``unchecked``: [(check name, reason)] of the checks not done."""

    def __init__(self, connection):
        self.connection = connection.sudo()
        self.env = self.connection.env
        self.findings, self.facts, self.unchecked = [], [], []
        try:
            sample = int(self.env["ir.config_parameter"].sudo().get_param(SAMPLE_PARAM, DEFAULT_SAMPLE))
        except ValueError:
            sample = DEFAULT_SAMPLE
        self.sample = max(sample, 0)
        self.spot = {"invoices": 0, "customers": 0, "drifts": 0}

    def add(self, finding):
        self.findings.append(finding)

    def run(self):
        contacts.shared_links(self)
        status.records_in_error(self)
        self._xero_checks()
        if self.spot["invoices"] or self.spot["customers"] or "orders" not in dict(self.unchecked):
            self.facts.append(messages.spot_fact(self.env, self.spot["invoices"], self.spot["customers"],
                                                 self.spot["drifts"]))
        # After the calls: whether Xero answered them, and how many were spent, are now known.
        status.connection(self)
        status.webhook(self)
        status.quota(self)
        for name, reason in self.unchecked:
            self.facts.append(messages.not_checked(self.env, name, reason))
        return self

    def _xero_checks(self):
        if self.connection.state != "connected":
            reason = messages.not_connected_reason(self.env)
            self.unchecked += [(name, reason) for name, _check in XERO_CHECKS]
            return
        stopped = None
        with self.connection._xero_session() as client:
            for name, check in XERO_CHECKS:
                if stopped is not None:
                    self.unchecked.append((name, messages.skipped_reason(self.env, stopped)))
                    continue
                try:
                    check(self, client)
                except XeroError as exc:
                    self.unchecked.append((name, str(exc)))
                    if errors.category(exc) in STOPPERS:
                        stopped = exc

    @property
    def warnings(self):
        return [f for f in self.findings if f.severity == "warning"]

    def state(self):
        """healthy, attention (something to look at) or incomplete (some checks not done)."""
        if self.warnings:
            return "attention"
        return "incomplete" if self.unchecked else "healthy"

    def summary(self):
        """The report's summary: a headline, then one line per check."""
        lines = [messages.headline(self.env, len(self.warnings), len(self.unchecked))] + self.facts
        return "\n".join(lines)


def check(connection):
    """Run every check of ``connection`` now; returns the ``HealthCheck`` with its results."""
    return HealthCheck(connection).run()
