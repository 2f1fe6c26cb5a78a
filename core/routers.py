"""Send the public pages' reads to the replica, everything else to the primary.

Only the published data (the ``measures`` and ``plan`` apps) is read from the
replica. Sessions, users, sign-in records and the like always come from the
primary, and so does every read inside an open transaction or made for staff
or a non-GET request (see ``core.replica.PrimaryForStaffMiddleware``), so that
nobody misses what they have just written.
"""

from django.db import connections

from .replica import primary_forced

# ``core`` holds the data version: read from the same database as the pages'
# data, a cached page is always stored under the version of the data it shows.
REPLICATED_APPS = {"core", "measures", "plan"}


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if (
            model._meta.app_label not in REPLICATED_APPS
            or primary_forced()
            or connections["default"].in_atomic_block
        ):
            return "default"
        return "replica"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # Both databases hold the same rows.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
