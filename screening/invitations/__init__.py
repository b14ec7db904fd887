"""Invitations: the service, its forms, reminders and the link tokens."""
