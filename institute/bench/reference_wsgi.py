"""The project's WSGI application with the plain-view URLs of `reference_urls` instead of the
site's: the CMS-page limit reference in `manage.py benchmark`."""

import os

import django
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "institute.settings")
django.setup(set_prefix=False)
settings.ROOT_URLCONF = "institute.bench.reference_urls"

from django.core.wsgi import get_wsgi_application  # noqa: E402 - after the URLconf is chosen

application = get_wsgi_application()
