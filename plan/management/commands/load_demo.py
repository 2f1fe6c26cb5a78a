from django.core.management.base import BaseCommand

from plan.demo import load_demo


class Command(BaseCommand):
    help = (
        "Load the demo Police and Crime Plan for Humberside with its mapping, local targets "
        "and illustrative figures. Safe to run again: it only adds what is missing."
    )

    def handle(self, *args, **options):
        result = load_demo()
        if result.created == 0:
            self.stdout.write("Demo data already loaded: nothing to add.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded: {result.areas} area, {result.plans} plan, "
                f"{result.outcomes} outcomes, {result.contributions} contributions, "
                f"{result.targets} targets, {result.figures} figures."
            )
        )
