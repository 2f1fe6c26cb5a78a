"""Factories for test data. The national catalogue itself comes from the data
migration, so tests can also use the real measures by slug."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from measures.models import (
    Area,
    AreaKind,
    DataSource,
    Figure,
    Framework,
    Measure,
    PriorityArea,
    PublicationStatus,
    Target,
    Unit,
)
from measures.verdicts import recompute_verdicts
from plan.models import Contribution, LocalOutcome, Plan


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


def user_in_role(role: str):
    """A user of the admin: "superuser", "staff" (staff in no role), or one of
    the staff roles the roles migration makes ("Data entry", "Publisher"). Named
    after the role, so asking twice in a test gives the same user."""
    if role == "superuser":
        return UserFactory(username="admin", is_staff=True, is_superuser=True)
    user = UserFactory(username=role.lower().replace(" ", "-"), is_staff=True)
    if role != "staff":
        user.groups.add(Group.objects.get(name=role))
    return user


class DataSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataSource

    name = factory.Sequence(lambda n: f"Source {n}")
    publisher = "Home Office"


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Framework

    slug = factory.Sequence(lambda n: f"framework-{n}")
    name = factory.Sequence(lambda n: f"Framework {n}")
    issued_by = "Home Office"
    date_communicated = factory.Sequence(
        lambda n: datetime.date(2022, 1, 1) + datetime.timedelta(days=n)
    )
    source_url = "https://www.gov.uk/"


class PriorityAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriorityArea

    framework = factory.SubFactory(FrameworkFactory)
    name = factory.Sequence(lambda n: f"Priority area {n}")
    slug = factory.Sequence(lambda n: f"priority-area-{n}")
    order = factory.Sequence(lambda n: 100 + n)


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    priority_area = factory.SubFactory(PriorityAreaFactory)
    name = factory.Sequence(lambda n: f"Measure {n}")
    slug = factory.Sequence(lambda n: f"measure-{n}")
    definition = "Something counted."
    data_source = factory.SubFactory(DataSourceFactory)
    unit = Unit.COUNT
    baseline_start = datetime.date(2018, 7, 1)
    baseline_end = datetime.date(2019, 6, 30)
    order = factory.Sequence(lambda n: 100 + n)


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    name = factory.Sequence(lambda n: f"Area {n}")
    slug = factory.Sequence(lambda n: f"area-{n}")
    kind = AreaKind.POLICE_FORCE_AREA


class FigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Figure

    measure = factory.SubFactory(MeasureFactory)
    area = factory.SubFactory(AreaFactory)
    period_start = datetime.date(2018, 7, 1)
    period_end = datetime.date(2019, 6, 30)
    value = Decimal("10")
    status = PublicationStatus.PUBLISHED

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        # Stored with its verdict, and its neighbours' worked out again, as
        # the services do on every write.
        super()._after_postgeneration(instance, create, results)
        if create:
            recompute_verdicts(pairs=[(instance.measure_id, instance.area_id)])


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    measure = factory.SubFactory(MeasureFactory)
    value = Decimal("75")
    due = datetime.date(2025, 3, 31)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    title = factory.Sequence(lambda n: f"Plan {n}")
    slug = factory.Sequence(lambda n: f"plan-{n}")
    commissioner = "A. Commissioner"
    force_area = factory.SubFactory(AreaFactory)
    first_year = 2021
    last_year = 2025


class LocalOutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalOutcome

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"Outcome {n}")
    slug = factory.Sequence(lambda n: f"outcome-{n}")
    order = factory.Sequence(lambda n: n)


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contribution

    outcome = factory.SubFactory(LocalOutcomeFactory)
    measure = factory.SubFactory(MeasureFactory)
    explanation = "It helps."


class BaselineOverrideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "measures.BaselineOverride"

    measure = factory.SubFactory(MeasureFactory)
    area = factory.SubFactory(AreaFactory)
    baseline_start = datetime.date(2019, 4, 1)
    baseline_end = datetime.date(2020, 3, 31)


def monthly_figures(*, measure, area, values, first=datetime.date(2019, 4, 1), breaks=()):
    """Published figures of ``values`` for the calendar months from ``first``'s;
    the figure at each position in ``breaks`` marks a series break."""
    figures = []
    start = first.replace(day=1)
    for index, value in enumerate(values):
        following = (start + datetime.timedelta(days=32)).replace(day=1)
        figures.append(
            FigureFactory(
                measure=measure,
                area=area,
                period_start=start,
                period_end=following - datetime.timedelta(days=1),
                value=Decimal(str(value)),
                series_break=index in breaks,
            )
        )
        start = following
    return figures
