"""gunicorn settings for production: `gunicorn -c python:clinic.gunicorn_conf clinic.wsgi`.

(`-c clinic/gunicorn_conf.py` in a checkout.) The access log goes to stdout with link tokens
masked in every field (clinic.log_masking; clinic.wsgi masks them too, for a gunicorn started
without this file), and, when the log format is JSON (production's default, clinic.log_format),
every gunicorn line is one JSON object like the app's, the access line with its request id.
`PORT` (default 8000) and `WEB_CONCURRENCY` (worker processes, default 2) come from the
environment; the command line may still override anything here.
"""

import os

from gunicorn.glogging import Logger

from clinic.log_format import ENVIRON_KEY, JsonFormatter, log_format
from clinic.log_masking import mask

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
timeout = 30
accesslog = "-"


class TokenMaskingLogger(Logger):
    """gunicorn's logger, with link tokens masked in every field (request line, referrer...)."""

    def setup(self, cfg):
        super().setup(cfg)
        if log_format() == "json":
            for log in (self.error_log, self.access_log):
                for handler in log.handlers:
                    handler.setFormatter(JsonFormatter())

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: mask(value) if isinstance(value, str) else value for key, value in atoms.items()
        }

    def access(self, resp, req, environ, request_time):
        if log_format() != "json":
            return super().access(resp, req, environ, request_time)
        if not self.cfg.accesslog:
            return None
        atoms = self.atoms(resp, req, environ, request_time)
        line = {
            "method": atoms["m"],
            "path": atoms["U"],
            "status": atoms["s"],
            "bytes": atoms["B"],
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "remote": atoms["h"],
            "user_agent": atoms["a"],
        }
        self.access_log.info(
            "%s %s %s",
            line["method"],
            line["path"],
            line["status"],
            extra={"request_id": environ.get(ENVIRON_KEY), "http": line},
        )
        return None


logger_class = TokenMaskingLogger
