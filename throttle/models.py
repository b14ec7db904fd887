"""One token bucket per client address, in the database so that every app process shares it."""

from django.db import models


class Bucket(models.Model):
    """The tokens left to one client, as of `refilled_at`.

    `key` is an HMAC of the client's address keyed with the secret key: the address itself is
    never stored. Times are Unix seconds (a float), so that the refill is plain arithmetic in one
    UPDATE statement on every database.
    """

    key = models.CharField(max_length=64, primary_key=True)
    tokens = models.FloatField()
    refilled_at = models.FloatField(db_index=True)

    def __str__(self):
        return f"bucket {self.key[:8]}…"
