"""The app's production settings (start with DJANGO_DEBUG=0) served over loopback HTTP for the
Lighthouse bench: everything production runs (DEBUG off, collected and hashed static files that
WhiteNoise serves compressed, the same middleware), except what needs TLS, which a loopback
server has not. With Secure cookies the browser would drop the session, and the SSL redirect
would send it to a port that does not answer."""

from clinic.settings import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SESSION_COOKIE_NAME = "sessionid"  # __Host- cookies are kept only when Secure
CSRF_COOKIE_NAME = "csrftoken"
