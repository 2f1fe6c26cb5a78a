"""An edition's PDF, made with WeasyPrint once, at publication.

WeasyPrint lays out HTML and CSS with Pango, a system library (Debian:
libpango-1.0-0 and libpangoft2-1.0-0); ``make`` checks that it loads. The
document may fetch nothing from the network or the disk: its only stylesheet
is read here, and every other address is refused.
"""

from django.contrib.staticfiles import finders

STYLESHEET = "css/edition-pdf.css"


class NoFetching(ValueError):
    pass


def _refuse(url, *args, **kwargs):
    raise NoFetching(f"the PDF may not fetch {url}")


def render_pdf(html: str) -> bytes:
    import weasyprint  # loaded on first use: its system libraries stay out of other commands

    css = weasyprint.CSS(filename=finders.find(STYLESHEET), url_fetcher=_refuse)
    return weasyprint.HTML(string=html, url_fetcher=_refuse).write_pdf(stylesheets=[css])
