"""Test set-up shared by every app: production-like settings, the guide loaded, and personas.

The suite runs with DEBUG off (as production does), a test secret, and no HTTPS redirect
(the test client speaks plain HTTP): see `env` in pyproject.toml. Static files use the plain
storage so that tests need no `collectstatic`; the production storage is tested on its own.
"""

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches

from testing.factory import Factory

# `module_rows`: rows built once for a module's tests (the access matrix, the hostile requests).
pytest_plugins = ["testing.shared_rows"]


def pytest_configure(config):
    # The README's hostile-input and fault tables are written from how these runs end.
    # Under pytest-xdist only the controller records: it hears every worker's results.
    from writing_guide.results_tables import ResultsRecorder

    if not hasattr(config, "workerinput"):
        config.pluginmanager.register(ResultsRecorder(), "results-tables")


def pytest_collection_modifyitems(config, items):
    # The browser tests run last: Playwright keeps an event loop in the main thread for the rest of
    # the session, and a database connection opened after it (a test that closes one, say) would be
    # refused as async-unsafe. Fast failures also come first this way.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(autouse=True)
def _test_speedups(settings):
    # A fast hasher: the suite creates many accounts; production keeps Django's default.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **django_settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # How a class answered is kept per process under the number of first attempts counted; each
    # test's rows are rolled back and their ids used again, so a tally must not outlive its test.
    caches["tallies"].clear()
    # So is a feedback item, kept under its tally's key (exercises.feedback).
    caches["reader_fragments"].clear()
    # Visitors' pages are kept under the guide's version, which the whole run shares, while tests
    # add and change content rows that a reload would have given a new version.
    caches["pages"].clear()
    caches["reader_pages"].clear()
    # A course's results are kept under its students' `results_version`s, which start again at 0 in every test.
    caches["results"].clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real guide from fixtures/ once per test database."""
    from exercises.loader import load_guide

    with django_db_blocker.unblock():
        load_guide(django_settings.FIXTURES_DIR)


@pytest.fixture
def make():
    return Factory()


@pytest.fixture
def student(make):
    return make.user("student")


@pytest.fixture
def other_student(make):
    return make.user("other-student")


@pytest.fixture
def instructor(make):
    return make.user("instructor")


@pytest.fixture
def stranger(make):
    return make.user("stranger")


@pytest.fixture
def exercise(db):
    from exercises.models import Exercise

    return Exercise.objects.get(slug="lee-2016-abstract")


@pytest.fixture
def course(make, instructor):
    return make.course(instructor, "Writing 101")
