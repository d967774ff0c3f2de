"""Writes in batches: chunking, idempotency keys and per-record results.

A caller hands ``WriteItem``s (its own reference, the Xero payload, and a version that
changes whenever the record changes). The Idempotency-Key of a request is derived from the
references and versions it carries, so sending the same versions again — after a timeout,
a lost answer or a crash — replays Xero's first answer instead of writing twice.
"""
import hashlib

MAX_BATCH = 50  # Xero takes up to 50 records per write request


class WriteItem:
    __slots__ = ("ref", "payload", "version")

    def __init__(self, ref, payload, version=""):
        self.ref = ref  # the caller's handle, e.g. ("res.partner", 7)
        self.payload = payload  # dict in Xero's JSON shape
        self.version = version  # e.g. the record's write_date

    def key(self):
        return "%s@%s" % (self.ref, self.version)


class WriteResult:
    """What became of one record: ``xero_id`` when saved, ``errors`` (sentences) when refused."""

    __slots__ = ("ref", "ok", "xero_id", "errors", "data")

    def __init__(self, ref, ok, xero_id=None, errors=(), data=None):
        self.ref = ref
        self.ok = ok
        self.xero_id = xero_id
        self.errors = list(errors)
        self.data = data or {}

    def __repr__(self):
        return "WriteResult(%r, ok=%r, xero_id=%r, errors=%r)" % (
            self.ref, self.ok, self.xero_id, self.errors)


def chunks(items, size=MAX_BATCH):
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def idempotency_key(tenant_id, operation, items):
    """Same tenant, operation, records and versions → same key (Xero keeps keys 24 h)."""
    digest = hashlib.sha256()
    for part in (tenant_id, operation, *(item.key() for item in items)):
        digest.update(str(part).encode())
        digest.update(b"\0")
    return "xc-" + digest.hexdigest()  # 67 characters: within Xero's 128


def element_errors(element):
    """Validation messages Xero attached to one element of a summarizeErrors=false answer."""
    messages = [e.get("Message") for e in element.get("ValidationErrors") or [] if e.get("Message")]
    failed = (element.get("StatusAttributeString") == "ERROR" or element.get("HasErrors")
              or bool(messages))
    if failed and not messages:
        messages = ["Xero refused this record without saying why."]
    return messages if failed else []


def results(items, elements, id_field):
    """Pair each sent item with the element Xero answered at the same position."""
    out = []
    for item, element in zip(items, elements):
        errors = element_errors(element)
        out.append(WriteResult(item.ref, not errors, None if errors else element.get(id_field),
                               errors, element))
    for item in items[len(elements):]:
        out.append(WriteResult(item.ref, False, errors=["Xero's answer did not include this record."]))
    return out
