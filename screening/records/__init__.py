"""Stored records as services: a submission's creation, the audit trail, retention, export."""
