"""gunicorn settings for production: `gunicorn -c clinic/gunicorn_conf.py clinic.wsgi`.

The access log masks patients' link tokens (clinic.log_masking); nothing else is changed from
gunicorn's defaults, which the command line may still override.
"""

from gunicorn.glogging import Logger

from clinic.log_masking import mask

accesslog = "-"


class TokenMaskingLogger(Logger):
    """gunicorn's logger, with link tokens masked in every field (request line, referrer...)."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: mask(value) if isinstance(value, str) else value for key, value in atoms.items()
        }


logger_class = TokenMaskingLogger
