"""The app's WSGI application with bench/urls.py as its URLconf: the one settings module, plus a baseline view."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "writing_guide.settings")

from django.conf import settings  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

settings.ROOT_URLCONF = "bench.urls"
application = get_wsgi_application()
