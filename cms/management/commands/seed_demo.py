"""`python manage.py seed_demo [--password P]`: idempotent demo site, content and accounts."""

from importlib import import_module

from django.core.management.base import BaseCommand

# Each app that has demo content exposes `<app>.demo.seed(*, password, stdout)`; order matters.
SEEDERS = [
    "trainees.demo",
    "cms.demo",
    "courses.demo",
    "exams.demo",
    "trainees.demo_certification",
    "trainees.demo_organisations",
]


class Command(BaseCommand):
    help = "Create or refresh the demo site pages, content and accounts (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password", default="demo-pass-2026", help="password of demo accounts"
        )

    def handle(self, *args, password, **options):
        for module_name in SEEDERS:
            try:
                module = import_module(module_name)
            except ModuleNotFoundError as error:
                if error.name != module_name:
                    raise
                continue
            module.seed(password=password, stdout=self.stdout)
            self.stdout.write(f"  seeded {module_name}")
        from trainees.demo import ACCOUNTS

        self.stdout.write(self.style.SUCCESS("Demo data ready. Log in at /accounts/login/ with:"))
        for account in ACCOUNTS:
            self.stdout.write(f"  {account['email']:<24} {password:<18} ({account['role']})")
        self.stdout.write(
            "Staff accounts (officer, instructor) enrol in TOTP two-factor authentication at "
            "their first visit to /admin/."
        )
