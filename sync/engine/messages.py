"""What the engine tells people, the same for every object: one sentence naming the record and
the field, in the user's language. Each object words what only it knows (``sync/<object>``)."""
import re


def problem(env, record_name, label, code, params):
    """A value Xero would refuse, found before any call (``mapper.problems``)."""
    if code == "required":
        return env._("%(record)s: %(field)s is required by Xero.", record=record_name, field=label)
    if code == "too_long":
        return env._("%(record)s: %(field)s has %(length)s characters; Xero accepts at most %(max)s.",
                 record=record_name, field=label, length=params.get("length"), max=params.get("max"))
    if code == "invalid_email":
        return env._("%(record)s: %(field)s \"%(value)s\" is not an e-mail address Xero accepts "
                 "(plain ASCII, name@domain.tld).", record=record_name, field=label, value=params.get("value"))
    return env._("%(record)s: %(field)s is not accepted by Xero (%(code)s).", record=record_name, field=label,
                 code=code)


def refused(env, record_name, errors):
    return env._("%(record)s: Xero refused it: %(errors)s", record=record_name, errors=" ".join(errors))


def gone(env, record_name):
    return env._("%(record)s: its Xero record was not found in Xero any more. Review the match to link it "
                 "again or create it.", record=record_name)


def retry(env, error):
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
    nouns = {"contacts": lambda n: env._("%s customers", n) if n != 1 else env._("1 customer"),
             "items": lambda n: env._("%s products", n) if n != 1 else env._("1 product")}
    parts = [nouns[name](count) if name in nouns else "%s %s" % (count, name)
             for name, count in waiting.items() if count]
    if not parts:
        return env._("Nothing is waiting to be sent to Xero yet.")
    listed = parts[0] if len(parts) == 1 else env._("%(some)s and %(last)s", some=", ".join(parts[:-1]), last=parts[-1])
    return env._("%s are being sent to Xero now.", listed) if sum(waiting.values()) > 1 \
        else env._("%s is being sent to Xero now.", listed)


_CALL = re.compile(r"^(GET|PUT|POST|DELETE) (\w+)(?: page (\d+))?$")


def operation_label(env, operation, direction):
    """What a sync log row did, for people: "Created in Xero", "Read contacts from Xero (page 3)"...
    ``operation`` is the engine's word for a record, or the client's name of a failed call."""
    word = (operation or "").split(" ")[0]
    records = {
        "create": env._("Created in Xero") if direction == "out" else env._("Created in Odoo"),
        "update": env._("Updated in Xero") if direction == "out" else env._("Updated in Odoo"),
        "read": env._("Read from Xero"), "match": env._("Matched with a Xero record"), "merge": env._("Changes merged"),
        "check": env._("Checked before sending"), "push": env._("Sending to Xero"), "pull": env._("Reading from Xero"),
        "sync": env._("Sync with Xero"), "webhook": env._("Change announced by Xero"),
        "reconcile": env._("Weekly reconciliation"),
    }
    if word in records:
        return records[word]
    call = _CALL.match(operation or "")
    if not call:
        return operation
    verb, collection, page = call.groups()
    nouns = {"Contacts": env._("contacts"), "Items": env._("products"), "Accounts": env._("accounts"),
             "TaxRates": env._("tax rates"), "Currencies": env._("currencies"),
             "TrackingCategories": env._("tracking categories"), "BrandingThemes": env._("branding themes"),
             "Organisation": env._("the organisation's details"), "Connections": env._("the connected organisations"),
             "Invoices": env._("invoices"), "Quotes": env._("quotes"), "Payments": env._("payments"),
             "CreditNotes": env._("credit notes")}
    noun = nouns.get(collection, collection)
    if verb == "GET":
        label = env._("Read %s from Xero", noun)
    elif verb == "PUT":
        label = env._("Create %s in Xero", noun)
    elif verb == "POST":
        label = env._("Create or update %s in Xero", noun)
    else:
        label = env._("Disconnect from Xero") if collection == "Connections" else env._("Delete %s in Xero", noun)
    return env._("%(label)s (page %(page)s)", label=label, page=page) if page else label


def foreign_tenant(env, connection_name, count):
    return env._("Xero announced %(count)s changes of an organisation that connection %(name)s is not connected "
                 "to: ignored. Check that the webhook's app is the one this connection uses.",
                 count=count, name=connection_name)


def malformed_delivery(env, connection_name):
    return env._("Xero's webhook sent connection %(name)s a delivery that could not be read: nothing was taken "
                 "from it, and Xero was told so (it tries again later). The server's log says what was wrong.",
                 name=connection_name)
