"""Every template's wording follows the body that publishes the site."""

from django.utils.functional import SimpleLazyObject

from .models import PublishingBody


def publishing_body(request) -> dict:
    # Lazy: read only by a template that names the body (one query).
    return {"body": SimpleLazyObject(PublishingBody.objects.current)}
