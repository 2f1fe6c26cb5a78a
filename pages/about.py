"""The pages every public body's site must have: the accessibility statement,
how to contact the body, and what the site does with personal data.

Each is drawn from the publishing body's record (``plan.PublishingBody``, in
every template as ``body``) and from settings the operator gives; a fact
neither holds is said to be missing, never made up.
"""

from dataclasses import dataclass

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

# The regulations and the standard, as GOV.UK's model statement names them
# ("Sample accessibility statement (for a fictional public sector website)",
# updated 19 December 2023); the sections and their legally required wording
# are in docs/sources.md, section 7. The standard is WCAG 2.2 AA, which UK
# public sector sites must meet (DESIGN.md).
REGULATIONS_NAME = (
    "Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018"
)
REGULATIONS_URL = "https://www.legislation.gov.uk/uksi/2018/952/contents/made"
STANDARD_NAME = "Web Content Accessibility Guidelines version 2.2 AA standard"
STANDARD_URL = "https://www.w3.org/TR/WCAG22/"
ABILITYNET_URL = "https://mcmw.abilitynet.org.uk/"

# The widths the browser tests check every public page at with axe-core in
# Chromium (tests/browser/test_pages.py reads them from here, so the statement
# cannot say more than the tests do).
TESTED_WIDTHS = (320, 768, 1280)


@dataclass(frozen=True)
class Enforcer:
    name: str
    complaints_name: str
    complaints_url: str


ENFORCERS = {
    "ehrc": Enforcer(
        name=_("The Equality and Human Rights Commission (EHRC)"),
        complaints_name=_("the Equality Advisory and Support Service (EASS)"),
        complaints_url="https://www.equalityadvisoryservice.com/",
    ),
    "ecni": Enforcer(
        name=_("The Equality Commission for Northern Ireland (ECNI)"),
        complaints_name=_("the Equality Commission for Northern Ireland (ECNI)"),
        complaints_url="https://www.equalityni.org/Home",
    ),
}


@dataclass(frozen=True)
class Shortfall:
    """Content known not to meet the standard: what, which criterion, the way round."""

    what: str
    criterion: str
    alternative: str


# Known from the code, not from an audit; each has a test that fails when the
# code changes under it (tests/pages/test_about.py).
KNOWN_SHORTFALLS = (
    Shortfall(
        what=_(
            "The PDF copy of each edition of the statement is not tagged, so a screen "
            "reader cannot tell its headings and tables from its other text."
        ),
        criterion=_("WCAG 2.2 success criterion 1.3.1 (Info and Relationships)"),
        alternative=_(
            "Everything in the PDF is on the edition's web page, with its headings and tables."
        ),
    ),
)


def accessibility(request):
    return render(
        request,
        "pages/about/accessibility.html",
        {
            "regulations_name": REGULATIONS_NAME,
            "regulations_url": REGULATIONS_URL,
            "standard_name": STANDARD_NAME,
            "standard_url": STANDARD_URL,
            "abilitynet_url": ABILITYNET_URL,
            "tested_widths": TESTED_WIDTHS,
            "shortfalls": KNOWN_SHORTFALLS,
            "enforcer": ENFORCERS[settings.ACCESSIBILITY_ENFORCEMENT],
            "prepared": settings.ACCESSIBILITY_STATEMENT_PREPARED,
            "reviewed": settings.ACCESSIBILITY_STATEMENT_REVIEWED,
            "last_tested": settings.ACCESSIBILITY_LAST_TESTED,
        },
    )


def contact(request):
    return render(request, "pages/about/contact.html")


def privacy(request):
    return render(
        request, "pages/about/privacy.html", {"privacy_notice_url": settings.PRIVACY_NOTICE_URL}
    )
