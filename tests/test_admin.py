"""The admin: every page loads for a superuser, nobody else gets in, and
figures remember who entered them."""

import datetime

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from measures.models import Figure, Measure, PriorityArea, SharedMeasure

from .factories import AreaFactory, BaselineOverrideFactory, UserFactory

pytestmark = pytest.mark.django_db

PROJECT_MODELS = [
    model for model in admin.site._registry if model._meta.app_label in {"measures", "plan"}
]


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_project_model_is_registered():
    registered = set(PROJECT_MODELS)
    for app_label in ("measures", "plan"):
        for model in apps.get_app_config(app_label).get_models():
            if not model.__name__.startswith("Historical"):
                assert model in registered, model


@pytest.mark.parametrize("model", PROJECT_MODELS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("view", ["changelist", "add"])
def test_changelist_and_add_pages_load_for_a_superuser(admin_client, demo, model, view):
    response = admin_client.get(admin_url(model, view))
    # An edition's priorities are added with their edition, never on their own.
    refused = view == "add" and model.__name__ == "EditionPriority"
    assert response.status_code == (403 if refused else 200)


@pytest.mark.parametrize("model", PROJECT_MODELS, ids=lambda m: m.__name__)
def test_change_and_history_pages_load(request, admin_client, model):
    # The demo leaves the editions' models empty: its published editions fill them.
    of_editions = model.__name__.startswith(("Edition", "StatementEdition"))
    request.getfixturevalue("demo_editions" if of_editions else "demo")
    if not model.objects.exists():  # the models the demo data leaves empty
        if of_editions:
            if model.__name__ == "EditionPeelGrade":  # the demo names no graded areas
                from plan.models import StatementEdition

                model.objects.create(
                    edition=StatementEdition.objects.first(),
                    area="An area a test grades",
                    grade=model._meta.get_field("grade").choices[0][0],
                )
        elif model is SharedMeasure:
            SharedMeasure.objects.create(
                priority_area=PriorityArea.objects.get(slug="safer-town-centres"),
                measure=Measure.objects.get(slug="homicides"),
            )
        else:
            BaselineOverrideFactory()
    obj = model.objects.first()
    assert admin_client.get(admin_url(model, "change", obj.pk)).status_code == 200
    assert admin_client.get(admin_url(model, "history", obj.pk)).status_code == 200


@pytest.mark.parametrize("path", ["/admin/", "/admin/measures/figure/", "/admin/plan/plan/add/"])
def test_anonymous_users_are_sent_to_the_login_page(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_logged_in_user_who_is_not_staff_is_refused(client):
    client.force_login(UserFactory(is_staff=False))
    response = client.get("/admin/measures/figure/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_adding_a_figure_stamps_the_user_and_keeps_it_draft(admin_client, superuser):
    measure = Measure.objects.get(slug="homicides")
    area = AreaFactory()
    response = admin_client.post(
        admin_url(Figure, "add"),
        {
            "measure": measure.pk,
            "area": area.pk,
            "period_start": "2023-04-01",
            "period_end": "2024-03-31",
            "value": "12",
            "lower": "",
            "upper": "",
            "note": "",
            "source_url": "",
            "status": "draft",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    figure = Figure.objects.get(measure=measure, area=area)
    assert figure.created_by == superuser
    assert figure.updated_by == superuser
    assert figure.period_end == datetime.date(2024, 3, 31)
    assert figure.history.first().history_user == superuser


def test_a_bad_figure_gets_a_clear_message_and_writes_nothing(admin_client):
    measure = Measure.objects.get(slug="victim-satisfaction")
    response = admin_client.post(
        admin_url(Figure, "add"),
        {
            "measure": measure.pk,
            "area": AreaFactory().pk,
            "period_start": "2024-03-31",
            "period_end": "2023-04-01",
            "value": "120",
            "status": "draft",
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "The period cannot end before it starts." in errors["period_end"]
    assert "A percentage cannot be more than 100." in errors["value"]
    assert not Figure.objects.filter(measure=measure).exists()


def test_figures_can_be_entered_inline_under_a_measure(admin_client, superuser):
    measure = Measure.objects.get(slug="homicides")
    area = AreaFactory()
    url = admin_url(Measure, "change", measure.pk)
    form = admin_client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if name in form.fields and value is not None
    }
    data.update(
        {
            "priority_area": measure.priority_area_id,
            "data_source": measure.data_source_id,
            "contributions-TOTAL_FORMS": "0",
            "contributions-INITIAL_FORMS": "0",
            "baseline_overrides-TOTAL_FORMS": "0",
            "baseline_overrides-INITIAL_FORMS": "0",
            "figures-TOTAL_FORMS": "1",
            "figures-INITIAL_FORMS": "0",
            "figures-0-area": area.pk,
            "figures-0-period_start": "2024-04-01",
            "figures-0-period_end": "2025-03-31",
            "figures-0-value": "9",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302
    figure = Figure.objects.get(measure=measure, area=area)
    assert figure.created_by == superuser
    assert figure.status == "draft"
