"""What we tell people when a customer cannot be synced, beyond what the engine says for every
object (``sync/engine/messages.py``): one sentence naming the partner, in the user's language.
"""


def field_label(env, field):
    """A readable label for a mapper field key such as 'email' or 'street_address.zip'."""
    partner = env["res.partner"]._fields
    head, _sep, tail = field.partition(".")
    if head == "persons":
        index, _sep, key = tail.partition(".")
        return env._("contact person %(number)s: %(field)s", number=int(index) + 2,
                 field=field_label(env, key))
    if head in ("street_address", "postal_address"):
        label = {"street": partner["street"], "street2": partner["street2"], "city": partner["city"],
                 "state": partner["state_id"], "zip": partner["zip"], "country": partner["country_id"]}
        text = label[tail]._description_string(env) if tail in label else tail
        return env._("street address: %s", text) if head == "street_address" else env._("postal address: %s", text)
    names = {"name": "name", "email": "email", "tax_number": "vat", "phone": "phone", "mobile": "mobile",
             "first_name": "name", "last_name": "name", "number": "ref"}
    if head in names:
        return partner[names[head]]._description_string(env)
    return head


def refused(env, partner_name, errors):
    return env._("%(partner)s: Xero refused the contact: %(errors)s", partner=partner_name,
                 errors=" ".join(errors))


def name_taken(env, partner_name, xero_name):
    return env._("%(partner)s: the name \"%(name)s\" is already used by another active contact in Xero, "
                 "so no second contact was created. Review the match: link this partner to that contact, "
                 "link another one, or rename the partner and create it.", partner=partner_name, name=xero_name)


def needs_review(env, partner_name, count):
    return env._("%(partner)s: %(count)s Xero contact(s) may already be this customer. Review the match "
                 "before it is created in Xero.", partner=partner_name, count=count)


def evidence_text(env, rules, candidate, values):
    lines = []
    for rule in rules:
        if rule == "tax_number":
            lines.append(env._("Same tax number: %s", candidate.tax_number))
        elif rule == "email":
            lines.append(env._("Same e-mail address: %s", candidate.email))
        elif rule == "same_name":
            lines.append(env._("Same name: %s", candidate.name))
        elif rule == "similar_name":
            lines.append(env._("Similar name: \"%(xero)s\" in Xero, \"%(odoo)s\" in Odoo", xero=candidate.name,
                           odoo=values.get("name")))
        elif rule == "name_taken":
            lines.append(env._("Xero refused to create a second contact named \"%s\"", candidate.name))
        elif rule == "manual":
            lines.append(env._("Found by a search in Xero"))
    return "\n".join(lines)


def contact_gone(env, partner_name, contact_id):
    return env._("%(partner)s: the linked Xero contact %(id)s was not found in Xero any more. Review the "
                 "match to link it again or create it.", partner=partner_name, id=contact_id)
