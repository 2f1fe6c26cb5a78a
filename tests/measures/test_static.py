"""The charts use the vendored Chart.js 4; django-chartjs's bundled Chart.js 2
and Highcharts must never be collected or served."""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders


def test_the_vendored_chart_js_is_served_with_its_licence():
    path = finders.find("vendor/chart.umd.js")
    assert path
    head = Path(path).read_text(encoding="utf-8")[:200]
    assert "Chart.js v4." in head
    assert "MIT License" in head
    assert "sourceMappingURL" not in Path(path).read_text(encoding="utf-8")[-200:]
    assert finders.find("vendor/chart.js-LICENSE.md")
    assert finders.find("js/charts.js")


def test_django_chartjs_static_files_are_not_collected():
    assert "chartjs" not in settings.INSTALLED_APPS
    assert finders.find("js/Chart.min.js") is None
    assert finders.find("js/highcharts/highcharts.js") is None


def test_no_inline_script_or_style_in_the_templates():
    templates = Path(settings.BASE_DIR, "templates")
    for template in templates.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert "<script>" not in text, template
        assert "style=" not in text, template
        assert "<style" not in text, template
        assert " on" + "click=" not in text, template
