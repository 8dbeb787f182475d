from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app may use and that knows nothing of the programme: text folding, query
    strings, form fields, Excel helpers and background-job plumbing. It imports no other app."""

    name = "core"
    verbose_name = "Core"
