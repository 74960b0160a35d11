"""`python manage.py benchmark [--scenario NAME] [--quick]`: measure and print, write
`bench/results.json`. Use PostgreSQL (DATABASE_URL) for meaningful figures."""

import json
import platform
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from institute.bench.runner import apply_server_limits_in_process
from institute.bench.scenarios import SCENARIOS


class Command(BaseCommand):
    help = "Run benchmark scenarios, each beside its limit reference, and write bench/results.json."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scenario",
            action="append",
            choices=sorted(SCENARIOS),
            help="run only this scenario (repeatable); default: all",
        )
        parser.add_argument("--quick", action="store_true", help="small counts (CI smoke run)")
        parser.add_argument(
            "--output", default=str(Path(settings.BASE_DIR) / "bench" / "results.json")
        )

    def handle(self, *args, scenario, quick, output, **options):
        names = scenario or list(SCENARIOS)
        apply_server_limits_in_process()
        rows, failures = [], {}
        for name in names:
            self.stdout.write(f"running {name}{' (quick)' if quick else ''}...")
            try:
                rows += SCENARIOS[name](quick=quick)
            except ModuleNotFoundError as error:
                failures[name] = f"not available: {error}"
        result = {
            "generated_at": timezone.now().isoformat(),
            "quick": quick,
            "database": connection.vendor,
            "machine": {"python": platform.python_version(), "processor": platform.machine()},
            "rows": [row.as_dict() for row in rows],
            "skipped": failures,
        }
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(result, indent=2, ensure_ascii=False))
        self.print_table(rows, failures)
        self.stdout.write(f"written {path}")
        if not rows:
            raise CommandError("no scenario produced figures")

    def print_table(self, rows, failures) -> None:
        self.stdout.write(
            "| scenario | measure | value | queries | limit reference (same run) | ratio |"
        )
        self.stdout.write("|---|---|---|---|---|---|")
        for row in rows:
            reference = (
                f"{row.reference} {row.unit} ({row.reference_name})" if row.reference else "-"
            )
            self.stdout.write(
                f"| {row.scenario} | {row.measure} | {row.value} {row.unit} | "
                f"{'' if row.queries is None else row.queries} | {reference} | "
                f"{row.ratio if row.ratio is not None else '-'} |"
            )
        for name, reason in failures.items():
            self.stdout.write(f"| {name} | skipped: {reason} | | | | |")
