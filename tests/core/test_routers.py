import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.models import Session
from django.test import RequestFactory

from core.replica import PrimaryForStaffMiddleware
from core.routers import ReplicaRouter
from measures.models import Figure
from plan.models import Contribution

from ..factories import UserFactory

router = ReplicaRouter()


def read_db_during(request, model):
    seen = {}

    def view(request):
        seen["db"] = router.db_for_read(model)
        return None

    PrimaryForStaffMiddleware(view)(request)
    return seen["db"]


def test_public_reads_of_published_data_go_to_the_replica():
    request = RequestFactory().get("/measures/homicides/")
    request.user = AnonymousUser()
    assert read_db_during(request, Figure) == "replica"
    assert read_db_during(request, Contribution) == "replica"


def test_sessions_and_users_always_come_from_the_primary():
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert read_db_during(request, Session) == "default"


@pytest.mark.django_db
def test_staff_and_writes_read_from_the_primary():
    staff_request = RequestFactory().get("/measures/homicides/")
    staff_request.user = UserFactory(is_staff=True)
    assert read_db_during(staff_request, Figure) == "default"

    post = RequestFactory().post("/admin/measures/figure/add/")
    post.user = AnonymousUser()
    assert read_db_during(post, Figure) == "default"


def test_writes_and_migrations_stay_on_the_primary():
    assert router.db_for_write(Figure) == "default"
    assert router.allow_migrate("replica", "measures") is False
    assert router.allow_migrate("default", "measures") is True


def test_while_the_replica_is_away_public_reads_go_to_the_primary(settings, monkeypatch):
    from core import replica

    # A replica configured (the middleware checks it is); the probe is what is faked.
    monkeypatch.setitem(settings.DATABASES, "replica", settings.DATABASES["default"])
    monkeypatch.setattr(replica, "replica_answers", lambda: False)
    seen = {}

    def view(request):
        seen["db"] = router.db_for_read(Figure)
        return None

    request = RequestFactory().get("/measures/homicides/")
    request.user = AnonymousUser()
    replica.ReplicaAvailabilityMiddleware(PrimaryForStaffMiddleware(view))(request)
    assert seen["db"] == "default"
    monkeypatch.setattr(replica, "replica_answers", lambda: True)
    replica.ReplicaAvailabilityMiddleware(PrimaryForStaffMiddleware(view))(request)
    assert seen["db"] == "replica"


def test_without_a_replica_the_availability_check_is_not_installed():
    from django.core.exceptions import MiddlewareNotUsed

    from core.replica import ReplicaAvailabilityMiddleware

    with pytest.raises(MiddlewareNotUsed):
        ReplicaAvailabilityMiddleware(lambda request: None)


@pytest.mark.django_db(transaction=True)  # outside a transaction, which reads from the primary
def test_a_staff_download_streams_from_the_primary_to_its_last_chunk():
    """A download is read after the middleware returned: the request's choice
    of database holds while it is read (drafts never come from a lagging replica)."""
    from django.http import StreamingHttpResponse

    def view(request):
        return StreamingHttpResponse(router.db_for_read(Figure) for _ in range(2))

    request = RequestFactory().get("/data/staff/figures.csv")
    request.user = UserFactory(is_staff=True)
    response = PrimaryForStaffMiddleware(view)(request)
    assert list(response.streaming_content) == [b"default", b"default"]
