from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "screening"
    verbose_name = "Pre-screening"

    def ready(self):
        from screening import checks, signals  # noqa: F401 - registers the checks, connects the receivers
