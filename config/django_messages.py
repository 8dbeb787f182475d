"""Django's own messages whose Vietnamese translation we replace with a clearer one.

Listing them here keeps them in locale/vi/LC_MESSAGES/django.po through `make messages`; our
LOCALE_PATHS catalogue takes precedence over Django's bundled one.
"""

from django.utils.translation import gettext_noop

OVERRIDDEN_MESSAGES = [
    gettext_noop("This field is required."),
    gettext_noop("Enter a whole number."),
    gettext_noop("Enter a number."),
    gettext_noop("Enter a valid date."),
    gettext_noop("Ensure this value is greater than or equal to %(limit_value)s."),
    gettext_noop("Ensure this value is less than or equal to %(limit_value)s."),
    gettext_noop("Select a valid choice. %(value)s is not one of the available choices."),
    gettext_noop(
        "Please enter a correct %(username)s and password. Note that both fields may be "
        "case-sensitive."
    ),
    gettext_noop("This account is inactive."),
    # New in Django 5.2's admin filters, not yet in its Vietnamese catalogue.
    gettext_noop("Show counts"),
    gettext_noop("Hide counts"),
    # django-auditlog ships no Vietnamese; Django's own "log entry" reads as "sign-in entry".
    gettext_noop("Audit log"),
    gettext_noop("log entry"),
    gettext_noop("log entries"),
    gettext_noop("create"),
    gettext_noop("update"),
    gettext_noop("delete"),
    gettext_noop("access"),
    gettext_noop("action"),
    gettext_noop("actor"),
    gettext_noop("timestamp"),
    gettext_noop("remote address"),
    gettext_noop("Created"),
    gettext_noop("Resource"),
    gettext_noop("Changes"),
]
