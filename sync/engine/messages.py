"""What the engine tells people, the same for every object: one sentence naming the record and
the field, in the user's language. Each object words what only it knows (``sync/<object>``)."""
import re


def problem(env, record_name, label, code, params):
    """A value Xero would refuse, found before any call (``mapper.problems``)."""
    _ = env._
    if code == "required":
        return _("%(record)s: %(field)s is required by Xero.", record=record_name, field=label)
    if code == "too_long":
        return _("%(record)s: %(field)s has %(length)s characters; Xero accepts at most %(max)s.",
                 record=record_name, field=label, length=params.get("length"), max=params.get("max"))
    if code == "invalid_email":
        return _("%(record)s: %(field)s \"%(value)s\" is not an e-mail address Xero accepts "
                 "(plain ASCII, name@domain.tld).", record=record_name, field=label, value=params.get("value"))
    return _("%(record)s: %(field)s is not accepted by Xero (%(code)s).", record=record_name, field=label, code=code)


def refused(env, record_name, errors):
    return env._("%(record)s: Xero refused it: %(errors)s", record=record_name, errors=" ".join(errors))


def gone(env, record_name):
    return env._("%(record)s: its Xero record was not found in Xero any more. Review the match to link it "
                 "again or create it.", record=record_name)


def retry(env, error, when=None):
    """``when``: the time of the automatic retry, as the reader's clock shows it (HH:MM)."""
    if when:
        return env._("%(error)s It will be tried again automatically at %(when)s.", error=_sentence(error), when=when)
    return env._("%(error)s It will be tried again automatically.", error=_sentence(error))


def _sentence(text):
    text = str(text).strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def given_up(env, error, attempts):
    return env._("Xero could not take it %(attempts)s times in a row (%(error)s). Click Resync to try again.",
                 error=error, attempts=attempts)


def connection_refused(env, connection_name, error):
    return env._("Xero refused connection %(name)s; nothing is sent or read until an administrator "
                 "reconnects: %(error)s", name=connection_name, error=error)


def could_not_write(env, record_name, error):
    return env._("%(record)s: Odoo refused Xero's values: %(error)s", record=record_name, error=error)


def could_not_create(env, xero_name, error):
    return env._("Xero record %(name)s could not be created in Odoo: %(error)s", name=xero_name, error=error)


def queued(env, waiting):
    """What Connect set going: "12 customers and 40 products are being sent to Xero." """
    _ = env._
    nouns = {"contacts": lambda n: _("%s customers", n) if n != 1 else _("1 customer"),
             "items": lambda n: _("%s products", n) if n != 1 else _("1 product")}
    parts = [nouns[name](count) if name in nouns else "%s %s" % (count, name)
             for name, count in waiting.items() if count]
    if not parts:
        return _("Nothing is waiting to be sent to Xero yet.")
    listed = parts[0] if len(parts) == 1 else _("%(some)s and %(last)s", some=", ".join(parts[:-1]), last=parts[-1])
    return _("%s are being sent to Xero now.", listed) if sum(waiting.values()) > 1 \
        else _("%s is being sent to Xero now.", listed)


_CALL = re.compile(r"^(GET|PUT|POST|DELETE) (\w+)(?: page (\d+))?$")


def operation_label(env, operation, direction):
    """What a sync log row did, for people: "Created in Xero", "Read contacts from Xero (page 3)"...
    ``operation`` is the engine's word for a record, or the client's name of a failed call."""
    _ = env._
    word = (operation or "").split(" ")[0]
    records = {
        "create": _("Created in Xero") if direction == "out" else _("Created in Odoo"),
        "update": _("Updated in Xero") if direction == "out" else _("Updated in Odoo"),
        "read": _("Read from Xero"), "match": _("Matched with a Xero record"), "merge": _("Changes merged"),
        "check": _("Checked before sending"), "push": _("Sending to Xero"), "pull": _("Reading from Xero"),
        "sync": _("Sync with Xero"),
    }
    if word in records:
        return records[word]
    call = _CALL.match(operation or "")
    if not call:
        return operation
    verb, collection, page = call.groups()
    nouns = {"Contacts": _("contacts"), "Items": _("products"), "Accounts": _("accounts"),
             "TaxRates": _("tax rates"), "Currencies": _("currencies"), "TrackingCategories": _("tracking categories"),
             "BrandingThemes": _("branding themes"), "Organisation": _("the organisation's details"),
             "Connections": _("the connected organisations"), "Invoices": _("invoices"), "Quotes": _("quotes"),
             "Payments": _("payments"), "CreditNotes": _("credit notes")}
    noun = nouns.get(collection, collection)
    if verb == "GET":
        label = _("Read %s from Xero", noun)
    elif verb == "PUT":
        label = _("Create %s in Xero", noun)
    elif verb == "POST":
        label = _("Create or update %s in Xero", noun)
    else:
        label = _("Disconnect from Xero") if collection == "Connections" else _("Delete %s in Xero", noun)
    return _("%(label)s (page %(page)s)", label=label, page=page) if page else label
