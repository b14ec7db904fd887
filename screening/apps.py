from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "screening"
    verbose_name = "Pre-screening"

    def ready(self):
        from clinic.database import read_out_of_range_dates_safely
        from screening import checks, signals  # noqa: F401 - registers the checks, connects the receivers

        read_out_of_range_dates_safely()
