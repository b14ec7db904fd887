"""Compressed HTML for the patient's pages, and only for them: BREACH considered.

A step page is 25 KB of HTML that gzip brings to a few; on a phone over a slow link that is most
of the page. WhiteNoise already serves the static files compressed (the manifest storage writes
.gz and .br copies at `collectstatic`); gunicorn compresses nothing, and a proxy in front must not
compress the staff pages either (docs/deploy.md).

BREACH reads a secret out of compressed HTTPS responses by their length. It needs, in the same
response, (1) a secret, (2) text the attacker chooses, and (3) many requests, sent by the
victim's browser, whose sizes the attacker observes. On the patient's pages:
- the CSRF token is masked anew in every response (Django since 1.10: a fresh random mask over the
  secret, csrf._mask_cipher_secret), so its bytes never repeat and there is nothing to converge on;
- the answers, contact details and the reference are secrets, but nothing the attacker chooses is
  in those pages: no patient page echoes the query string (the language switch returns to the
  path alone; tests/clinic/test_compression.py checks every page), a page that answers 200 has one of
  the app's own paths, error pages are not compressed, and only the patient's own session may
  write the draft, each write needing the patient's CSRF token;
- the session cookie is SameSite=Lax: a cross-site page cannot make the browser fetch these pages
  with the session (images, scripts, fetch), only navigate to them, once per visible page load;
- Django's GZipMiddleware (4.2 and later) adds 0-99 random bytes to every compressed response
  (the gzip header's file name, "Heal The BREACH"), which multiplies any probe's request count.
The staff pages are left uncompressed: the admin echoes search terms beside patients'
names and answers, BREACH's textbook setting, and staff use them on office networks. The FHIR API
(JSON, its search parameters echoed beside health data) likewise.
"""

from django.middleware.gzip import GZipMiddleware

COMPRESSED_NAMESPACES = frozenset({"screening"})  # screening/urls.py: the patient's pages


class PatientPageGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware (random padding included), for the patient's HTML pages only."""

    def process_response(self, request, response):
        match = getattr(request, "resolver_match", None)
        if match is None or match.namespace not in COMPRESSED_NAMESPACES:
            return response
        if response.status_code != 200 or not response.get("Content-Type", "").startswith(
            "text/html"
        ):
            # An error page is small and names what was asked for (the 404's language switch
            # returns to the path typed): no compression, no echo to measure.
            return response
        return super().process_response(request, response)
