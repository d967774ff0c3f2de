"""What every mapper shares: fingerprints of field groups, and the normal form of text.

A mapper groups a record's fields the way conflicts are settled (a group is sent, compared and
applied as a whole) and fingerprints each group's values in a canonical form, so a caller can
tell which side changed what since the last exchange.
"""
import hashlib
import json


def text(value):
    """Text as compared: words separated by single spaces; nothing for None or False."""
    return " ".join(str(value).split()) if value not in (None, False) else ""


# json.dumps(value, ensure_ascii=False) without building an encoder at every call.
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


def fingerprint(canonical):
    """A short fingerprint of a JSON-able canonical value; equal values, equal fingerprints."""
    return hashlib.sha1(_ENCODE(canonical).encode()).hexdigest()[:16]


def group_hashes(canonical, groups, values):
    """{group: fingerprint} with ``canonical(group, values)`` giving each group's normal form."""
    return {group: fingerprint(canonical(group, values)) for group in groups}

