"""One finding of a health check, as the checks produce it (plain values; the model keeps them)."""

WARNING, INFO = "warning", "info"
# What a finding's button does: send Odoo's version again (the link's Resync), read Xero's again
# (the engine's pull by ids), or just open what it is about.
RESYNC, REFRESH, OPEN = "resync", "refresh", "open"


class Finding:
    """``record``: the Odoo record it is about; ``link``: the record's link with the connection
    (what a Resync or a read again works on); ``domain``: the records of ``record``'s model it is
    about, when several; ``url``: where it is in Xero."""

    __slots__ = ("category", "message", "severity", "record", "link", "domain", "url", "fix", "name")

    def __init__(self, category, message, severity=WARNING, record=None, link=None, domain=None, url=None,
                 fix=None, name=None):
        self.category = category
        self.message = message
        self.severity = severity
        self.record = record
        self.link = link
        self.domain = domain
        self.url = url
        self.fix = fix
        self.name = name  # what the record is called, kept should it be deleted later

    def __repr__(self):
        return "Finding(%s, %r)" % (self.category, self.message)

    def vals(self):
        """The values of a ``xero.health.finding`` (its report set by the caller)."""
        record, link = self.record, self.link
        return {
            "category": self.category, "severity": self.severity, "message": self.message,
            "res_model": record._name if record is not None else False,
            "res_id": record.id if record else 0,
            "record_name": self.name or (record.display_name if record else False),
            "domain": repr(self.domain) if self.domain else False,
            "link_model": link._name if link else False, "link_id": link.id if link else 0,
            "xero_url": self.url or False, "fix": self.fix or False,
        }
