"""The username the sign-in lockout (django-axes) records of an attempt.

As typed, but cut to the length of an account's name: no account has a longer one, and the
lockout's record of the attempt (255 characters) refused a longer one with a 500 (on PostgreSQL,
which also logged the refused row).
"""

from django.contrib.auth import get_user_model


def attempted_username(request, credentials=None) -> str | None:
    field = get_user_model().USERNAME_FIELD
    if credentials:
        username = credentials.get(field)
    else:
        username = getattr(request, "data", getattr(request, "POST", {})).get(field)
    if not isinstance(username, str):
        return username
    return username[: get_user_model()._meta.get_field(field).max_length]
