"""Load the demo content (the top-level `demo` package): people, forum, knowledge base,
duplicate links."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

import demo
from accounts.models import User
from demo import people


class Command(BaseCommand):
    help = "Create demo people, categories, threads, articles and duplicate links (first run only with --if-empty)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when the database already has users."
        )

    def handle(self, *args, if_empty: bool, **options):
        if if_empty and User.objects.exists():
            self.stdout.write("Demo data: database already has users, nothing loaded.")
            return
        demo.load()
        # The insights' per-day figures for the demo's weeks (desk/figures.py); the beat
        # job keeps them from here.
        call_command("build_daily_figures", verbosity=0)
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Sign in with any of:"))
        for email, name, role, _admin in people.ACCOUNTS:
            self.stdout.write(f"  {email:<22} {people.DEMO_PASSWORD}   ({role.label}: {name})")
