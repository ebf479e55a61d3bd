from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.urls import reverse
from django.utils import timezone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required")
        email = self.normalize_email(email)
        extra.setdefault("display_name", email.split("@")[0][:40])
        user = self.model(email=email, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def team(self):
        """Active staff and moderators: the people who speak for the company."""
        return self.filter(is_active=True, role__in=TEAM_ROLES)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("role", User.Role.STAFF)
        return self._create_user(email, password, **extra)


TEAM_ROLES = frozenset({"staff", "moderator"})  # User.Role values: the people who speak for the company


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account. The email is private; display_name is public.

    `role` says what the person may do across the site (accounts/rules.py says what
    each role may do). `is_staff` keeps Django's meaning, may open the admin site,
    and follows the role: accounts.actions.set_role sets both.
    """

    class Role(models.TextChoices):
        CUSTOMER = "customer", "Customer"
        STAFF = "staff", "Staff"
        MODERATOR = "moderator", "Moderator"

    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(max_length=40, help_text="Shown publicly next to everything you write.")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.CUSTOMER)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        "admin site access", default=False, help_text="May log in to the Django admin."
    )
    date_joined = models.DateTimeField(default=timezone.now)
    # Set by a moderator (accounts.actions.suspend): until then the person can read but not
    # post, vote or report (accounts.rules.may_post), and is told why on every page.
    suspended_until = models.DateTimeField(null=True, blank=True)
    suspension_reason = models.CharField(max_length=500, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("accounts:profile", args=[self.pk])

    # The role this row holds (badges, "answered by the team"). What a person may do is
    # asked of accounts.rules, which also refuses inactive accounts and visitors.
    @property
    def is_support_staff(self) -> bool:
        return self.role == self.Role.STAFF

    @property
    def is_moderator(self) -> bool:
        return self.role == self.Role.MODERATOR

    @property
    def is_team(self) -> bool:
        """Staff or moderator: the people who speak for the company."""
        return self.role in TEAM_ROLES

    @property
    def is_new_account(self) -> bool:
        """Younger than NEW_ACCOUNT_HOURS: stricter write limits (config/ratelimits.py)."""
        return timezone.now() - self.date_joined < timedelta(hours=settings.NEW_ACCOUNT_HOURS)

    @property
    def is_suspended(self) -> bool:
        """A suspension set by a moderator that has not ended yet (it ends by itself)."""
        return self.suspended_until is not None and self.suspended_until > timezone.now()

    @property
    def badge(self) -> str:
        return {self.Role.STAFF: "Staff", self.Role.MODERATOR: "Moderator"}.get(self.role, "")

    def has_verified_email(self) -> bool:
        from allauth.account.models import EmailAddress

        return EmailAddress.objects.filter(user=self, verified=True).exists()


class EmailPreference(models.Model):
    """How a person wants one kind of email (accounts.notifications): immediately, in a
    daily digest, or never. No row: the kind's default. The row of kind "all" set to
    "never" is the "Stop all emails" switch: it wins over every kind, also kinds added
    later, and turning it off brings back the choices underneath."""

    class Choice(models.TextChoices):
        NOW = "now", "Immediately"
        DIGEST = "digest", "Daily digest"
        NEVER = "never", "Never"

    ALL = "all"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preferences"
    )
    kind = models.CharField(max_length=40)
    choice = models.CharField(max_length=8, choices=Choice.choices)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="accounts_uniq_email_preference")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind} {self.choice}"
