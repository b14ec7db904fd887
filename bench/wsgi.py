"""gunicorn entry point for the benchmark's HTTP mode: the app, production-like, plus the floor."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")

from django.conf import settings
from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
settings.ROOT_URLCONF = "bench.urls"
settings.DEBUG = False  # no query log: measure what production runs
