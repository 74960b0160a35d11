from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TraineesConfig(AppConfig):
    name = "trainees"
    verbose_name = _("Trainees and certification")

    def ready(self) -> None:
        from . import signals  # noqa: F401
