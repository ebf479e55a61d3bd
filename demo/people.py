"""The demo's people: the accounts `make run` prints, and the community who answer.

`person()` is the one way the demo creates a user; every demo loader gets its people
from `load()`. Passwords are printed on first run and never used in production.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress

from accounts.models import User

DEMO_PASSWORD = "onefix-demo-2026"  # noqa: S105 - demo accounts only, printed on first run

# The accounts a newcomer can sign in with: email, display name, role, admin access.
ACCOUNTS = [
    ("alice@example.com", "Alice Moreau", User.Role.CUSTOMER, False),
    ("dave@example.com", "Dave Okafor", User.Role.CUSTOMER, False),
    ("erin@example.com", "Erin Lindqvist", User.Role.CUSTOMER, False),
    ("bob@example.com", "Bob Tanaka", User.Role.STAFF, True),
    ("carol@example.com", "Carol Mendes", User.Role.MODERATOR, True),
]

# Community members who ask, answer and say "me too" (customers without a password:
# nobody signs in as them).
COMMUNITY = [
    ("priya@example.com", "Priya Raman"),
    ("tom@example.com", "Tom Becker"),
    ("lena@example.com", "Lena Fischer"),
    ("marco@example.com", "Marco Rossi"),
    ("sam@example.com", "Sam Whitfield"),
    ("yuki@example.com", "Yuki Sato"),
    ("jonas@example.com", "Jonas Berg"),
    ("ana@example.com", "Ana Costa"),
    ("kwame@example.com", "Kwame Mensah"),
    ("olivia@example.com", "Olivia Park"),
    ("nadia@example.com", "Nadia Haddad"),
    ("felix@example.com", "Felix Wagner"),
]


def person(
    email: str,
    name: str,
    role: str = User.Role.CUSTOMER,
    *,
    password: str | None = None,
    is_staff: bool = False,
) -> User:
    """The demo user with this address, created (with a verified address) if missing."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=password, display_name=name, role=role, is_staff=is_staff
        )
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def key(email: str) -> str:
    """How the demo content names a person: the part of the address before the @."""
    return email.split("@")[0]


def load() -> dict[str, User]:
    """Every demo person, by key ("alice", "bob", "priya", ...)."""
    people = {
        key(email): person(email, name, role, password=DEMO_PASSWORD, is_staff=admin)
        for email, name, role, admin in ACCOUNTS
    }
    people.update({key(email): person(email, name) for email, name in COMMUNITY})
    return people
