"""How the workspace names a staff member: one name on every page.

A provider by their display name (the one their decisions carry), anyone else by their full
name; the username only when the account has no name at all.
"""

from __future__ import annotations


def staff_name(user) -> str:
    if user is None:
        return ""
    provider = getattr(user, "provider", None)
    if provider is not None and provider.display_name:
        return provider.display_name
    return user.get_full_name() or user.get_username()
