"""`manage.py seed_demo_triage [--force]` : mène des signalements de démonstration par l'instruction et la décision."""

from accounts.demo.command import DemoSeedCommand
from orientation.demo_triage import seed_demo_triage


class Command(DemoSeedCommand):
    help = (
        "Mène des signalements de démonstration par les vrais services : en instruction, complément demandé, "
        "transmis à Paris (75) et au Nord (59), validés, non validé, doublon. Idempotent."
    )

    def seed(self, **options):
        report = seed_demo_triage()
        if not report.total:
            self.stdout.write(
                "Parcours de démonstration déjà joués (ou rien à mener : lancez seed_demo et seed_demo_signalements)."
            )
            return
        detail = ", ".join(f"{scenario} : {count}" for scenario, count in sorted(report.walked.items()))
        self.stdout.write(self.style.SUCCESS(f"{report.total} signalement(s) menés par l'instruction ({detail})."))
