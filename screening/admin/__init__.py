"""The staff workspace on the admin site: the queue and a submission's pages, providers, staff
accounts, the audit trail; every admin derives from base.AccessAdmin and asks `access`."""

from screening.admin import (  # noqa: F401
    accounts,
    api_tokens,
    audit_trail,
    home,
    invitations,
    providers,
    submissions,
    third_party,
)
