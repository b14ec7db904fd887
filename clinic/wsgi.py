"""WSGI entry point (gunicorn clinic.wsgi).

The application masks patients' link tokens in the request's environ once it has answered, so
that any server's access log (gunicorn's reads the environ after the response, whatever its
configuration) holds `/i/[token]/`, even for a request Django redirected or refused before
`LinkTokenMiddleware` ran. clinic/gunicorn_conf.py masks the log fields again and writes JSON.
"""

import os

from django.core.wsgi import get_wsgi_application

from clinic.log_masking import mask_environ

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")

django_application = get_wsgi_application()


def application(environ, start_response):
    try:
        return django_application(environ, start_response)
    finally:
        mask_environ(environ)
