"""`manage.py seed_demo_triage [--force]` : mène des signalements de démonstration par l'instruction et la décision."""

from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DemoDataRefused, check_demo_allowed
from orientation.demo_triage import seed_demo_triage


class Command(BaseCommand):
    help = (
        "Mène des signalements de démonstration par les vrais services : en instruction, complément demandé, "
        "transmis à Paris (75) et au Nord (59), validés, non validé, doublon. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Autorise le chargement quand DEBUG est désactivé.")

    def handle(self, *args, force, **options):
        try:
            check_demo_allowed(force=force)
        except DemoDataRefused as exc:
            raise CommandError(str(exc)) from exc
        report = seed_demo_triage()
        if not report.total:
            self.stdout.write(
                "Parcours de démonstration déjà joués (ou rien à mener : lancez seed_demo et seed_demo_signalements)."
            )
            return
        detail = ", ".join(f"{scenario} : {count}" for scenario, count in sorted(report.walked.items()))
        self.stdout.write(self.style.SUCCESS(f"{report.total} signalement(s) menés par l'instruction ({detail})."))
