from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from accounts.site import sync_site

        # After the sites app made its default row (it comes earlier in INSTALLED_APPS).
        post_migrate.connect(sync_site, sender=self, dispatch_uid="accounts.sync_site")
