"""`python manage.py outbox_relay [--loop] [--interval SECONDS]`: publish waiting outbox rows.

Celery beat already runs the relay every 10 s; this is for operators (after a broker outage,
or where beat does not run) and prints what was published and what still waits.
"""

import time

from django.core.management.base import BaseCommand

from institute.models import OutboxMessage
from institute.outbox import outbox_prune, outbox_relay


class Command(BaseCommand):
    help = "Publish the tasks waiting in the transactional outbox (once, or --loop)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep relaying until stopped")
        parser.add_argument(
            "--interval", type=float, default=5.0, help="seconds between runs with --loop"
        )

    def handle(self, *args, loop: bool, interval: float, **options):
        while True:
            published = outbox_relay()
            outbox_prune()
            waiting = OutboxMessage.objects.filter(dispatched_at__isnull=True).count()
            self.stdout.write(f"outbox: {published} published, {waiting} waiting")
            if not loop:
                return
            time.sleep(interval)
