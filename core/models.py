from django.db import models


class DataVersion(models.Model):
    """One row whose number goes up whenever published data may have changed.

    Cached public pages are stored under this number, so a save or a publish
    makes every cached page stale at once, in every process and on every
    server, without having to know which pages showed the changed row. It is
    kept in the database rather than in the cache so that it holds with a
    per-process cache too, and rolls back with the change that bumped it.
    """

    version = models.PositiveBigIntegerField(default=1)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "data version"

    def __str__(self):
        return f"Data version {self.version}"
