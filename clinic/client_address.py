"""The client's address, as far as our own infrastructure can vouch for it.

One function for everything that keys on an address: the rate limit (throttle), the audit trail
and the login lockout (django-axes, through AXES_CLIENT_IP_CALLABLE). Behind proxies, all three
must agree, or five failed logins from anyone lock out every staff member behind the proxy.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_address(request) -> str:
    """REMOTE_ADDR, unless `TRUSTED_PROXY_COUNT` proxies of ours append to X-Forwarded-For.

    Each of our proxies appends the address it saw; the entry the outermost one appended is the
    client. Entries to its left are whatever the client sent, so a forged header changes nothing.
    With fewer entries than proxies (or not an address where ours would be) the request did not
    come through them: REMOTE_ADDR.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [entry for entry in forwarded if entry]
    if len(forwarded) < proxies:
        return remote
    appended = forwarded[-proxies]
    try:
        ipaddress.ip_address(appended)
    except ValueError:
        return remote  # our proxy never appends anything but an address: not from it
    return appended
