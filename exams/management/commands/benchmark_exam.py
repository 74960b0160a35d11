"""`python manage.py benchmark_exam [--candidates 500] [--answers 50] [--base-url URL]`.

Runs the exam-day scenario of `exams.benchmark` against a server already running on this
machine (e.g. gunicorn on 127.0.0.1:8000 with the same DATABASE_URL) and prints JSON.
"""

import json

from django.core.management.base import BaseCommand

from exams.benchmark import run_exam_day


class Command(BaseCommand):
    help = "Exam-day load: candidates start, save answers and submit over HTTP; prints figures."

    def add_arguments(self, parser):
        parser.add_argument("--candidates", type=int, default=500)
        parser.add_argument("--answers", type=int, default=50)
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")

    def handle(self, *args, candidates, answers, base_url, **options):
        figures = run_exam_day(candidates=candidates, answers=answers, base_url=base_url)
        self.stdout.write(json.dumps(figures, indent=2, ensure_ascii=False))
