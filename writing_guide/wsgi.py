import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "writing_guide.settings")
application = get_wsgi_application()

# What the process has built by now (Django, the apps, the settings) lives as long as it does: moved
# out of the collector's reach, so that a full collection under load no longer walks it each time
# (bench/README.md, "Where the time goes").
gc.collect()
gc.freeze()
