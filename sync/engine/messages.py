"""What the engine tells people, the same for every object: one sentence naming the record and
the field, in the user's language. Each object words what only it knows (``sync/<object>``)."""


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


def retry(env, error):
    return env._("Xero could not take it for now (%(error)s); it will be tried again automatically.", error=error)


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
