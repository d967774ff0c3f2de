"""GET /Organisation: the tenant's organisation, as ``{"Organisations": [...]}``."""
import copy

from .accounting import ApiResponse

READ_SCOPES = ("accounting.settings", "accounting.settings.read")


def get_organisation(ctx):
    org = copy.deepcopy(ctx.tenant.organisation)
    return ApiResponse(200, ctx.envelope("Organisations", [org]))


def register(router):
    router.add("GET", "/Organisation", get_organisation, READ_SCOPES)
