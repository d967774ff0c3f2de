from . import xero_contact_match_wizard
