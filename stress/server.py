"""The stress runs' app: production settings (DEBUG off) with static files of the run's own, a database built
with the guide and stress-user-0.. accounts, and gunicorn as production runs it (testing/servers.py)."""

import os

from testing import servers

SECRET_KEY = "stress-run-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105
PASSWORD = "a-long-stress-password-42"  # noqa: S105
# The worker class production runs (README, "Running on several machines"): slow clients cannot
# hold a gevent worker, which serves up to --worker-connections requests at once.
# STRESS_WORKER_CLASS=sync measures the old one for comparison.
WORKER_CLASS = os.environ.get("STRESS_WORKER_CLASS", "gevent")


def app_env(database_url, static_root, **extra):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "stress.settings",
        "STRESS_STATIC_ROOT": str(static_root),
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": SECRET_KEY,
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "PYTHONPATH": str(servers.ROOT),
    }
    env.pop("REDIS_URL", None)
    env.update({key: str(value) for key, value in extra.items()})
    return env


def build_database(env, users=0):
    """Migrate, create the cache table, load the guide; then `users` accounts stress-user-0.. sharing one password."""
    servers.manage(env, "migrate", "--no-input", "-v", "0")
    servers.manage(env, "createcachetable")
    servers.manage(env, "load_guide")
    if users:
        code = (
            "from django.contrib.auth.hashers import make_password\n"
            "from django.contrib.auth.models import User\n"
            f"hashed = make_password({PASSWORD!r})\n"
            f"User.objects.bulk_create(User(username=f'stress-user-{{i}}', password=hashed) for i in range({users}))\n"
        )
        servers.manage(env, "shell", "-c", code)


def gunicorn(env, log_path, workers=4, worker_class=WORKER_CLASS):
    """writing_guide.wsgi under gunicorn: 30 s worker timeout, 5 s graceful shutdown. Not started yet."""
    return servers.Gunicorn(env, log_path, workers=workers, worker_class=worker_class, timeout=30, graceful_timeout=5)
