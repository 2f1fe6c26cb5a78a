import datetime
from decimal import Decimal

import pytest

from measures.models import Figure, PublicationStatus
from tests.factories import FigureFactory, user_in_role


@pytest.fixture
def publisher(db):
    return user_in_role("Publisher")


@pytest.fixture
def clerk(db):
    return user_in_role("Data entry")


def draft(**kwargs):
    kwargs.setdefault("value", Decimal("4321"))
    kwargs.setdefault("period_start", datetime.date(2025, 10, 1))
    kwargs.setdefault("period_end", datetime.date(2026, 9, 30))
    return FigureFactory(status=PublicationStatus.DRAFT, **kwargs)


def seen(*figures):
    """The versions a publisher was shown: the figures as they are now."""
    return {figure.pk: Figure.objects.get(pk=figure.pk).version for figure in figures}
