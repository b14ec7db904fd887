"""The staff workspace on the admin site: the queue and a submission's pages, providers, staff
accounts, the audit trail; every admin derives from base.AccessAdmin and asks `access`."""

from . import accounts, audit_trail, providers, submissions, third_party  # noqa: F401
