"""The app's WSGI application (writing_guide/wsgi.py, as production runs it) with bench/urls.py as its
URLconf: the one settings module, plus a baseline view."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "writing_guide.settings")

from django.conf import settings  # noqa: E402

settings.ROOT_URLCONF = "bench.urls"

from writing_guide.wsgi import application  # noqa: E402, F401
