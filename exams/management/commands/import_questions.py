"""`python manage.py import_questions FILE --category PATH [--format ...] [--dry-run]`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from exams.services.importing import FORMATS, questions_import


class Command(BaseCommand):
    help = "Import questions from Moodle XML, GIFT or the spreadsheet template; prints a report."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--category", required=True, help="target category path, e.g. 电气安全/GB 4706"
        )
        parser.add_argument(
            "--format", choices=FORMATS, default="", help="default: from the file name"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report; write nothing"
        )

    def handle(self, *args, file, category, format, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        report = questions_import(
            content=path.read_bytes(),
            filename=path.name,
            category=category,
            format=format,
            dry_run=dry_run,
        )
        for line in report.lines():
            self.stdout.write(line)
        if not report.ok:
            raise CommandError("Import rejected; nothing was written.")
