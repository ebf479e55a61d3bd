from django.apps import AppConfig


class OnefixConfig(AppConfig):
    """config wires the apps together; its ready() connects what no single app may."""

    name = "config"
    verbose_name = "Onefix"

    def ready(self) -> None:
        from config import metrics, wiring

        wiring.connect()
        metrics.register()
