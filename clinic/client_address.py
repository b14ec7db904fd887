"""The client's address, as far as our own infrastructure can vouch for it.

One function for everything that keys on an address: the rate limit (throttle), the audit trail
and the login lockout (django-axes, through AXES_CLIENT_IP_CALLABLE). Behind proxies, all three
must agree, or five failed logins from anyone lock out every staff member behind the proxy.
"""

from __future__ import annotations

import ipaddress
import logging

from django.conf import settings

logger = logging.getLogger(__name__)
# What a request showed about DJANGO_TRUSTED_PROXY_COUNT, warned about once per process: a wrong
# count either way makes one address of everyone (the proxy's) or lets a forged header choose it.
_warned: set[str] = set()


def _warn_once(kind: str, message: str, *args) -> None:
    if kind not in _warned:
        _warned.add(kind)
        logger.warning(message, *args)


def client_address(request) -> str:
    """REMOTE_ADDR, unless `TRUSTED_PROXY_COUNT` proxies of ours append to X-Forwarded-For.

    Each of our proxies appends the address it saw; the entry the outermost one appended is the
    client. Entries to its left are whatever the client sent, so a forged header changes nothing.
    With fewer entries than proxies (or not an address where ours would be) the request did not
    come through them: REMOTE_ADDR.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0:
        if header and _is_private(remote):
            # A proxy of ours (on a private address) sets the header, and it is not counted: every
            # client looks like the proxy, and five failed sign-ins from anyone lock out everyone.
            _warn_once(
                "uncounted",
                "X-Forwarded-For arrives from %s but DJANGO_TRUSTED_PROXY_COUNT is 0: every "
                "client behind that proxy shares its address (rate limit, lockout, audit). Set "
                "it to the number of proxies of ours.",
                remote,
            )
        return remote
    forwarded = [entry.strip() for entry in header.split(",")]
    forwarded = [entry for entry in forwarded if entry]
    if len(forwarded) < proxies:
        # Fewer entries than proxies of ours: the count is too high (or the request went round
        # the proxies). Either way the proxy's own address is all we have.
        _warn_once(
            "too_few",
            "DJANGO_TRUSTED_PROXY_COUNT is %s but a request's X-Forwarded-For has %s entries: "
            "the count is higher than the proxies in front, so clients share the proxy's address.",
            proxies,
            len(forwarded),
        )
        return remote
    appended = forwarded[-proxies]
    try:
        ipaddress.ip_address(appended)
    except ValueError:
        return remote  # our proxy never appends anything but an address: not from it
    return appended


def _is_private(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return ip.is_private or ip.is_loopback
