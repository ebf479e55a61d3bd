"""Load the demo data of every app, in dependency order."""

from django.core.management.base import BaseCommand

from accounts import demo as accounts_demo
from accounts.models import User


class Command(BaseCommand):
    help = "Create demo people, categories, threads and articles (first run only with --if-empty)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when the database already has users."
        )

    def handle(self, *args, if_empty: bool, **options):
        if if_empty and User.objects.exists():
            self.stdout.write("Demo data: database already has users, nothing loaded.")
            return
        people = accounts_demo.load()
        for loader in _app_loaders():
            loader(people)
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Sign in with any of:"))
        for email, name, role, _admin in accounts_demo.DEMO_PEOPLE:
            self.stdout.write(f"  {email:<22} {accounts_demo.DEMO_PASSWORD}   ({role.label}: {name})")


def _app_loaders():
    """Each app that has demo content exposes `demo.load(people)`."""
    import importlib

    loaders = []
    for app in ("forum", "kb"):
        try:
            module = importlib.import_module(f"{app}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.demo":
                raise
            continue
        loaders.append(module.load)
    return loaders
