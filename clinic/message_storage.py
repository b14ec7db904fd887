"""Where Django's one-time messages wait for the next page.

Staff pages: in the server-side session, never in a cookie. A staff message can hold what must
not travel in a cookie (a phone-only invitation's link, shown once): a signed cookie is not a
secret one, its value is readable by whoever holds it, and proxies and browser tools keep
cookies. Patients' pages keep Django's default (a cookie, the session when too long): their
messages are fixed sentences, and a visitor without a session does not get one for a message.
"""

from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.messages.storage.session import SessionStorage

STAFF_PREFIX = "/staff/"


def storage(request, *args, **kwargs):
    """MESSAGE_STORAGE: called with each request by the messages middleware."""
    user = getattr(request, "user", None)
    if request.path.startswith(STAFF_PREFIX) or (user is not None and user.is_authenticated):
        return SessionStorage(request, *args, **kwargs)
    return FallbackStorage(request, *args, **kwargs)
