"""The pages a public body's site must have (pages/about.py), the header and
footer that name the body, and the error pages in the site's layout."""

import datetime
import re
import zlib

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from core.middleware import server_error
from pages.about import KNOWN_SHORTFALLS, TESTED_WIDTHS
from plan.models import PublishingBody
from tests.plan.test_body import walk
from tests.public_helpers import public_urls

OGL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
FOOTER_LINKS = ("pages:contact", "pages:accessibility", "pages:privacy")

# GOV.UK's model accessibility statement, its headings in its order.
MODEL_HEADINGS = [
    "How accessible this website is",
    "Feedback and contact information",
    "Reporting accessibility problems with this website",
    "Enforcement procedure",
    "Technical information about this website’s accessibility",
    "Compliance status",
    "Non-accessible content",
    "Non-compliance with the accessibility regulations",
    "What we’re doing to improve accessibility",
    "Preparation of this accessibility statement",
]


def text(client, name, status=200):
    response = client.get(reverse(name))
    assert response.status_code == status
    return response.content.decode()


def headings(page: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<h[2-4][^>]*>(.*?)</h[2-4]>", page)]


class TestHeaderAndFooter:
    def test_every_public_page_names_the_body_and_links_no_admin(self, client, demo):
        """The footer links the pages a public body must have, and the
        licence; nothing links to the admin, whose address may be secret."""
        pages = walk(client)
        assert len(pages) > 30
        body = PublishingBody.objects.get()
        admin = reverse("admin:index")
        for name in FOOTER_LINKS:
            assert reverse(name) in pages  # reached from the footer
        for path, page in pages.items():
            assert f'<span class="site-header__title">{body.name}</span>' in page, path
            for name in FOOTER_LINKS:
                assert f'href="{reverse(name)}"' in page, path
            assert f'href="{OGL}" rel="license"' in page, path
            assert admin not in page, path
            assert "Staff sign in" not in page, path

    def test_the_public_pages_set_no_cookies(self, client, demo):
        """As the privacy page says."""
        for path in [*public_urls().values(), reverse("pages:privacy")]:
            response = client.get(path)
            assert response.status_code == 200, path
            assert not response.cookies, path


class TestAccessibilityStatement:
    def test_follows_the_model_statement(self, client, demo):
        page = text(client, "pages:accessibility")
        found = [h for h in headings(page) if h in MODEL_HEADINGS]
        assert found == MODEL_HEADINGS
        assert "Humberside Police and Crime Commissioner" in page
        assert (
            "Public Sector Bodies (Websites and Mobile Applications) (No. 2) "
            "Accessibility Regulations 2018" in page
        )
        assert "https://www.legislation.gov.uk/uksi/2018/952/contents/made" in page
        assert "Web Content Accessibility Guidelines version 2.2 AA standard" in page
        assert "This website is partially compliant with the" in page
        for shortfall in KNOWN_SHORTFALLS:
            assert str(shortfall.what) in page

    def test_says_how_it_was_tested_without_claiming_an_audit(self, client, demo):
        page = text(client, "pages:accessibility")
        widths = ", ".join(str(w) for w in TESTED_WIDTHS)
        assert widths == "320, 768, 1280"
        assert f"in the Chromium browser at {widths} pixels wide" in re.sub(r"\s+", " ", page)
        assert "they are not a full audit against the standard" in page

    def test_dates_come_from_the_settings(self, client, demo, settings):
        settings.ACCESSIBILITY_STATEMENT_PREPARED = datetime.date(2026, 9, 1)
        settings.ACCESSIBILITY_STATEMENT_REVIEWED = datetime.date(2026, 11, 30)
        settings.ACCESSIBILITY_LAST_TESTED = datetime.date(2026, 11, 28)
        page = text(client, "pages:accessibility")
        assert "This statement was prepared on 1 September 2026." in page
        assert "It was last reviewed on 30 November 2026." in page
        assert "This website was last tested on 28 November 2026." in page
        assert "has not been recorded" not in page

    def test_without_dates_it_says_so(self, client, demo, settings):
        settings.ACCESSIBILITY_STATEMENT_PREPARED = None
        settings.ACCESSIBILITY_STATEMENT_REVIEWED = None
        settings.ACCESSIBILITY_LAST_TESTED = None
        page = text(client, "pages:accessibility")
        assert "The date this statement was first prepared has not been recorded." in page
        assert "The date it was last reviewed has not been recorded." in page
        assert "The date this website was last tested has not been recorded." in page

    def test_enforcement_in_great_britain(self, client, demo):
        page = text(client, "pages:accessibility")
        assert "The Equality and Human Rights Commission (EHRC) is responsible for" in page
        assert 'href="https://www.equalityadvisoryservice.com/"' in page
        assert "Northern Ireland" not in page

    def test_enforcement_in_northern_ireland(self, client, demo, settings):
        settings.ACCESSIBILITY_ENFORCEMENT = "ecni"
        page = text(client, "pages:accessibility")
        assert "The Equality Commission for Northern Ireland (ECNI) is responsible for" in page
        assert "EHRC" not in page

    def test_contact_details_are_the_bodys(self, client, demo):
        PublishingBody.objects.update(email="info@example.org", telephone="01482 000000")
        page = text(client, "pages:accessibility")
        assert 'href="mailto:info@example.org"' in page
        assert "01482 000000" in page


def test_the_untagged_pdf_the_statement_lists_is_still_untagged():
    """The statement lists the editions' PDFs as untagged: once they are
    tagged (WeasyPrint's pdf_tags), this fails, and the statement must change."""
    weasyprint = pytest.importorskip("weasyprint")
    from plan.pdf import render_pdf

    html = "<html lang='en'><body><h1>Title</h1><table><tr><th>a</th></tr></table></body></html>"

    def structure_tree(pdf: bytes) -> bool:
        streams = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S)
        expanded = pdf
        for stream in streams:
            try:
                expanded += zlib.decompress(stream)
            except zlib.error:
                continue
        return b"/StructTreeRoot" in expanded

    assert structure_tree(weasyprint.HTML(string=html).write_pdf(pdf_tags=True))  # the check works
    assert not structure_tree(render_pdf(html))
    assert "PDF" in str(KNOWN_SHORTFALLS[0].what)


class TestContact:
    def test_shows_the_bodys_details(self, client, demo):
        PublishingBody.objects.update(
            email="info@example.org", telephone="01482 000000", address="1 High Street\nHull"
        )
        page = text(client, "pages:contact")
        assert "This website is published by Humberside Police and Crime Commissioner." in page
        assert 'href="mailto:info@example.org"' in page
        assert "1 High Street<br>Hull" in page
        assert "Report a problem with this website" in page

    def test_without_details_it_says_so_rather_than_invent_them(self, client, demo):
        PublishingBody.objects.update(email="", telephone="", address="", website="")
        page = text(client, "pages:contact")
        assert (
            "Humberside Police and Crime Commissioner has not yet given an email address, "
            "telephone number or postal address for this website." in page
        )
        assert "mailto:" not in page

    def test_without_a_body(self, client, demo):
        PublishingBody.objects.all().delete()
        page = text(client, "pages:contact")
        assert "has not yet been recorded on it, so there are no contact details to show" in page


class TestPrivacy:
    def test_links_the_bodys_privacy_notice(self, client, demo, settings):
        settings.PRIVACY_NOTICE_URL = "https://example.org/privacy"
        page = text(client, "pages:privacy")
        assert '<a href="https://example.org/privacy">privacy notice</a>' in page
        assert "Reading this website sets no cookies in your browser." in page

    def test_without_one_it_says_so(self, client, demo, settings):
        settings.PRIVACY_NOTICE_URL = ""
        page = text(client, "pages:privacy")
        assert "has not yet given the address of its privacy notice" in page
        assert f'href="{reverse("pages:contact")}"' in page


class TestErrorPages:
    def test_the_500_page_needs_no_database_and_no_request(self):
        """Rendered as Django's server_error renders it: a plain context."""
        response = server_error(RequestFactory().get("/"))
        page = response.content.decode()
        assert response.status_code == 500
        assert "Sorry, there is a problem with the service" in page
        assert "Skip to main content" in page  # the site's layout
        assert 'href="/static/css/site.css"' in page or "css/site." in page
        assert f'href="{reverse("pages:accessibility")}"' in page
        assert reverse("admin:index") not in page

    def test_the_503_page_needs_no_database_and_no_request(self):
        page = render_to_string("503.html")
        assert "Sorry, the site is unavailable" in page
        assert "Skip to main content" in page

    def test_a_failing_view_gets_the_500_page(self, client, demo, monkeypatch):
        from pages import about

        def broken(*args, **kwargs):
            raise RuntimeError("broken")

        monkeypatch.setattr(about, "render", broken)
        client.raise_request_exception = False
        response = client.get(reverse("pages:accessibility"))
        assert response.status_code == 500
        assert "Sorry, there is a problem with the service" in response.content.decode()


def test_makemessages_runs_clean_and_finds_the_public_wording(tmp_path, monkeypatch, settings):
    """Every reader-facing string of these pages is marked, and xgettext
    accepts every marked template (the Welsh catalogue starts from this).
    Run in a copy of the project, so the real locale folder is left alone."""
    import io
    import shutil
    from pathlib import Path

    from django.core.management import call_command

    if not shutil.which("xgettext"):
        pytest.skip("needs GNU gettext (xgettext)")
    root = Path(settings.BASE_DIR)
    copy = tmp_path / "project"
    skip = shutil.ignore_patterns(".*", "staticfiles", "bench", "tests", "locale", "*.sqlite3")
    shutil.copytree(root, copy, ignore=skip)
    (copy / "locale").mkdir()
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    err = io.StringIO()
    call_command("makemessages", locale=["cy"], stdout=io.StringIO(), stderr=err)
    assert err.getvalue() == ""
    catalogue = (copy / "locale" / "cy" / "LC_MESSAGES" / "django.po").read_text()
    for wording in (
        'msgid "Accessibility statement"',
        'msgid "Contact and report a problem"',
        'msgid "Sorry, there is a problem with the service"',
        'msgid "Skip to main content"',
        'msgid "This is the current plan."',
        'msgid "How forces compare"',
        'msgid "Upcoming releases"',
        'msgid "Lower process limit"',
        'msgid_plural "Serves %(count)s national measures"',
        # Wording built in Python: a verdict's sentence, a chart's label, a filter's.
        'msgid "%(latest)s is fewer than %(baseline)s"',
        'msgid "Upper process limit"',
        'msgid "Periods ending on or after"',
        'msgid "No force has a published figure for this period."',
    ):
        assert wording in catalogue


# What a reader sees or hears of a template besides the text between its tags.
SPOKEN_ATTRIBUTES = {
    "alt",
    "aria-description",
    "aria-label",
    "aria-roledescription",
    "aria-valuetext",
    "data-label",  # shown as each cell's label when a table stacks on a phone
    "placeholder",
    "title",
}
# File formats named as link text beside a translated sentence: the same
# words in Welsh (and every other language the site may publish in).
UNTRANSLATED_WORDS = {"CSV", "JSON", "PDF"}
DJANGO_MARKUP = re.compile(
    r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}"  # comments
    r"|{#.*?#}"
    r"|{%\s*blocktrans(?:late)?\b.*?{%\s*endblocktrans(?:late)?\s*%}"  # marked
    r"|{{.*?}}|{%.*?%}",  # variables (data, not wording) and tags ({% translate %} too)
    re.DOTALL,
)


def untranslated_text(source: str) -> list[str]:
    """The English a template shows outside translation tags."""
    from html.parser import HTMLParser

    found = []

    class Reader(HTMLParser):
        hidden = 0

        def handle_starttag(self, tag, attrs):
            self.hidden += tag in ("script", "style")
            values = dict(attrs)
            for name, value in attrs:
                button = tag == "input" and values.get("type") in ("submit", "button", "reset")
                if name in SPOKEN_ATTRIBUTES or (name == "value" and button):
                    found.append(value or "")

        def handle_endtag(self, tag):
            self.hidden -= tag in ("script", "style")

        def handle_data(self, data):
            if not self.hidden:
                found.append(data)

    reader = Reader()
    reader.feed(DJANGO_MARKUP.sub(" ", source))
    reader.close()
    words = (re.findall(r"[^\W\d_][\w’'.-]*", text) for text in found)
    return [word for text in words for word in text if word not in UNTRANSLATED_WORDS]


def public_templates(settings):
    """Every template of the public site. The staff pages are left out: those
    under an ``admin`` folder or built on the admin's layout, and the history
    page that django-simple-history shows in the admin; Django's and the
    admin's own catalogues translate most of their wording."""
    from pathlib import Path

    root = Path(settings.TEMPLATES[0]["DIRS"][0])
    for path in sorted(root.rglob("*.html")):
        relative = path.relative_to(root)
        source = path.read_text()
        staff = "admin" in relative.parts[:-1] or relative.parts[0] == "simple_history"
        if staff or re.match(r"{%\s*extends\s+[\"']admin/", source):
            continue
        yield str(relative), source


def test_every_public_template_marks_its_wording_for_translation(settings):
    templates = dict(public_templates(settings))
    assert {"base.html", "404.html", "pages/home.html", "compare/measure_compare.html"} <= set(
        templates
    )
    assert "opendata/staff.html" not in templates
    unmarked = {
        name: words for name, source in templates.items() if (words := untranslated_text(source))
    }
    assert unmarked == {}


@pytest.mark.parametrize(
    "source, words",
    [
        ("<p>Hello</p>", ["Hello"]),
        ('<p>{% translate "Hello" %}</p>', []),
        ("<p>{% blocktranslate with n=x.y %}Hello {{ n }}{% endblocktranslate %}</p>", []),
        ('<img src="a.png" alt="A chart">', ["A", "chart"]),
        ('<td data-label="Period">{{ value }}</td>', ["Period"]),
        ('<input type="submit" value="Go">', ["Go"]),
        ('<a href="/x" class="tabs" aria-current="page">{{ name }}</a>', []),
        ("{# A note #}{% comment %}Why{% endcomment %}<p>{{ a }}, 1–2 (CSV)</p>", []),
        ("<script>var a = 1;</script><p>{% if a %}Yes{% endif %}</p>", ["Yes"]),
    ],
)
def test_the_template_check_finds_unmarked_wording(source, words):
    assert untranslated_text(source) == words


def test_a_welsh_catalogue_reaches_the_templates_and_the_python_wording(
    tmp_path, settings, client, demo
):
    """Marked wording is looked up when a page is drawn, not when a module is
    imported: with a catalogue for cy (made-up entries, marked as such), a
    template's words, a status badge's label and a filter's label all change."""
    import shutil
    import subprocess

    from django.core.cache import cache
    from django.utils import translation

    msgfmt = shutil.which("msgfmt")
    if not msgfmt:
        pytest.skip("needs GNU gettext (msgfmt)")
    folder = tmp_path / "cy" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    entries = ("Skip to main content", "Not enough data", "Periods ending on or after")
    catalogue = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n'
    catalogue += "".join(f'\nmsgid "{text}"\nmsgstr "CY {text}"\n' for text in entries)
    (folder / "django.po").write_text(catalogue)
    subprocess.run([msgfmt, "-o", folder / "django.mo", folder / "django.po"], check=True)  # noqa: S603
    settings.LOCALE_PATHS = [tmp_path]
    url = reverse("opendata:index") + "?area=humberside"
    with translation.override("cy"):
        page = client.get(url).content.decode()
    for text in entries:
        assert f"CY {text}" in page
    cache.clear()  # the page cache does not yet tell languages apart
    english = client.get(url).content.decode()
    assert "CY " not in english
    assert all(text in english for text in entries)
