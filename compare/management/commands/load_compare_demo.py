from django.core.management.base import BaseCommand

from compare.demo import DEMO_FORCE, load_compare_demo


class Command(BaseCommand):
    help = (
        "Give every police force area illustrative populations and illustrative figures for "
        "two measures, and the demo force an illustrative most similar group, so that the "
        "comparison pages have something to show. Run after load_demo; safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", default=DEMO_FORCE, help="The demo force's slug.")

    def handle(self, *args, force: str, **options):
        result = load_compare_demo(force_slug=force)
        self.stdout.write(
            self.style.SUCCESS(
                f"Comparison demo: {result.populations} populations, {result.figures} figures, "
                f"{result.groups} group added (all illustrative)."
            )
        )
