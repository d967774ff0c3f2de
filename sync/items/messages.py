"""What we tell people when a product cannot be synced, beyond what the engine says for every
object (``sync/engine/messages.py``): one sentence naming the product, in the user's language."""

FIELDS = {"code": "default_code", "name": "name", "description": "description_sale",
          "purchase_description": "description_purchase"}


def field_label(env, field):
    name = FIELDS.get(field)
    return env["product.product"]._fields[name]._description_string(env) if name else field


def refused(env, product_name, errors):
    return env._("%(product)s: Xero refused the item: %(errors)s", product=product_name, errors=" ".join(errors))


def code_taken(env, product_name, code, other_name):
    return env._("%(product)s: Xero's item with code %(code)s is already linked to %(other)s. Give one of the two "
                 "products another internal reference.", product=product_name, code=code, other=other_name)


def needs_review(env, product_name, count):
    return env._("%(product)s: %(count)s Xero item(s) with a similar name may already be this product. Review "
                 "the match before it is created in Xero.", product=product_name, count=count)


def evidence(env, name, code):
    return env._("Similar name: \"%(name)s\" (code %(code)s)", name=name, code=code)
