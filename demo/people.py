"""Demo people for `make run`. Passwords are printed, never used in production."""

from __future__ import annotations

from allauth.account.models import EmailAddress

from accounts.models import User

DEMO_PASSWORD = "onefix-demo-2026"  # noqa: S105 - demo accounts only, printed on first run

DEMO_PEOPLE = [
    # email, display name, role, admin access
    ("alice@example.com", "Alice Moreau", User.Role.CUSTOMER, False),
    ("dave@example.com", "Dave Okafor", User.Role.CUSTOMER, False),
    ("erin@example.com", "Erin Lindqvist", User.Role.CUSTOMER, False),
    ("bob@example.com", "Bob Tanaka", User.Role.STAFF, True),
    ("carol@example.com", "Carol Mendes", User.Role.MODERATOR, True),
]


def load() -> dict[str, User]:
    """Create the demo people (verified) if missing; return them by first name."""
    people: dict[str, User] = {}
    for email, name, role, admin in DEMO_PEOPLE:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=DEMO_PASSWORD, display_name=name, role=role, is_staff=admin
            )
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        people[email.split("@")[0]] = user
    return people
