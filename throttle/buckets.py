"""A token bucket per client address for the patient's POSTs, shared by every app process.

Each limited POST takes one token. A bucket holds at most `SCREENING_RATE_LIMIT_BURST` tokens and
refills at `SCREENING_RATE_LIMIT_PER_MINUTE`. Taking a token is one conditional UPDATE statement,
atomic on PostgreSQL (the row lock makes a concurrent UPDATE re-read the row) and on SQLite (one
writer at a time): two processes taking the last token at the same instant cannot both get it.

Buckets are keyed by an HMAC of the address, keyed with the secret key: the address is never
stored, and the key cannot be reversed by trying every address without the secret.
"""

from __future__ import annotations

import ipaddress
import logging
import math
import time
from functools import wraps

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest, Least
from django.db.models.lookups import GreaterThanOrEqual
from django.shortcuts import render
from django.utils.crypto import salted_hmac

from clinic.client_address import client_address
from throttle.models import Bucket

# One IPv6 client usually holds a whole /64: counting single addresses would be easy to evade.
IPV6_PREFIX = 64
TOO_MANY_REQUESTS_TEMPLATE = "429.html"

logger = logging.getLogger(__name__)


def _subject(address: str) -> str:
    """What one bucket counts: an IPv4 address, or an IPv6 address's /64 network."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6 and ip.ipv4_mapped:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/{IPV6_PREFIX}", strict=False))
    return str(ip)


def bucket_key(address: str, *, scope: str = "") -> str:
    """HMAC-SHA256 of the address (keyed with a key derived from SECRET_KEY), in hex.

    A `scope` gives the address another bucket: starting a questionnaire does not spend the
    tokens of the answers that follow.
    """
    salt = f"throttle.buckets.{scope}" if scope else "throttle.buckets"
    return salted_hmac(salt, _subject(address), algorithm="sha256").hexdigest()


def _rate_per_second() -> float:
    return settings.SCREENING_RATE_LIMIT_PER_MINUTE / 60


def _take_from_existing(key: str, now: float, rate: float, burst: float) -> bool:
    elapsed = Greatest(Value(0.0), Value(now) - F("refilled_at"))
    available = Least(Value(burst), F("tokens") + elapsed * Value(rate))
    taken = Bucket.objects.filter(GreaterThanOrEqual(available, Value(1.0)), key=key).update(
        tokens=available - Value(1.0), refilled_at=Value(now)
    )
    return taken == 1


def take(
    key: str,
    *,
    now: float | None = None,
    per_minute: float | None = None,
    burst: int | None = None,
) -> bool:
    """Take one token from the bucket `key`; False when it has none left.

    The rate and burst are the patient pages' settings unless given (the FHIR API has its own).
    """
    now = time.time() if now is None else now
    rate = (settings.SCREENING_RATE_LIMIT_PER_MINUTE if per_minute is None else per_minute) / 60
    burst = settings.SCREENING_RATE_LIMIT_BURST if burst is None else burst
    if _take_from_existing(key, now, rate, float(burst)):
        return True
    if Bucket.objects.filter(key=key).exists():
        return False
    try:
        with transaction.atomic():
            Bucket.objects.create(key=key, tokens=burst - 1, refilled_at=now)
    except IntegrityError:
        # Another process created it a moment ago: take from it like from any other.
        return _take_from_existing(key, now, rate, float(burst))
    return True


def full_buckets(*, now: float | None = None):
    """Buckets that have had time to refill completely: the same as no bucket, so deletable."""
    now = time.time() if now is None else now
    seconds_to_fill = settings.SCREENING_RATE_LIMIT_BURST / _rate_per_second()
    return Bucket.objects.filter(refilled_at__lt=now - seconds_to_fill)


def too_many_requests(request):
    """The page a person sees over the limit: nothing from this request was saved."""
    response = render(request, TOO_MANY_REQUESTS_TEMPLATE, status=429)
    response["Retry-After"] = str(math.ceil(1 / _rate_per_second()))
    return response


def limit_posts(view=None, *, scope: str = ""):
    """Refuse a client's POSTs beyond its rate with the 429 page, before the view runs.

    `@limit_posts` counts in the client's bucket; `@limit_posts(scope="start")` in a bucket of
    its own with the same rate.
    """
    if view is None:
        return lambda undecorated: limit_posts(undecorated, scope=scope)

    @wraps(view)
    def limited(request, *args, **kwargs):
        if request.method == "POST":
            key = bucket_key(client_address(request), scope=scope)
            if not take(key):
                logger.warning("Rate limit reached on %s (bucket %s)", request.path, key[:12])
                return too_many_requests(request)
        return view(request, *args, **kwargs)

    return limited
