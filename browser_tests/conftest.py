"""Browser tests: Debian's Chromium, driven by Playwright, against the app on pytest-django's live server.

One browser serves the whole session; each test gets fresh contexts (cookie jars). The live server
needs transactional tests, whose flush empties the database after every test: each test starts
by restoring a snapshot of the guide taken once per session.
"""

import itertools
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core import serializers
from django.db import connection

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]  # fmt: skip
HERE = Path(__file__).parent
GUIDE_APPS = ["lessons", "exercises"]


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)")
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(skip)


@pytest.fixture(scope="package", autouse=True)
def _orm_beside_playwright():
    # Playwright's sync API keeps an asyncio loop in this thread, so Django takes every ORM call
    # here for one from async code. They are plain blocking calls between browser steps. Package
    # scope: the variable must not leak into later tests (`check --deploy` refuses it).
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-GB"}


@pytest.fixture(scope="session")
def base_url(live_server):
    """Pages open with relative URLs: `page.goto("/progress/")`."""
    return live_server.url


@pytest.fixture(scope="package")
def guide_snapshot(_orm_beside_playwright, django_db_setup, django_db_blocker):
    """The guide's content as JSON, taken once (the models of the apps that hold it)."""
    from exercises.loader import load_guide

    with django_db_blocker.unblock():
        load_guide(django_settings.FIXTURES_DIR)  # changes nothing if the root conftest's copy is still there
        content = (
            model._base_manager.order_by("pk") for app in GUIDE_APPS for model in apps.get_app_config(app).get_models()
        )
        return serializers.serialize("json", itertools.chain.from_iterable(content))


@pytest.fixture(autouse=True)
def guide(transactional_db, guide_snapshot):
    # The live server needs transactional tests, whose flush empties the database after each one;
    # every test starts by putting the guide back (0.2 s, against 1 s for load_guide).
    connection.creation.deserialize_db_from_string(guide_snapshot)


@pytest.fixture
def exercise(guide):
    from exercises.models import Exercise

    return Exercise.objects.get(slug="lee-2016-abstract")


@pytest.fixture
def browser_as(new_context, live_server):
    """`browser_as(user)`: a new page in its own context, logged in as `user` (or anonymous for None)."""
    from django.test import Client

    def open_page(user=None, **context_args):
        context = new_context(**context_args)
        if user is not None:
            client = Client()
            client.force_login(user)
            cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
            context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
        return context.new_page()

    return open_page


@pytest.fixture
def populated_class(make, instructor, student, exercise):
    """An instructor's course with one student who has made two attempts (see page_kinds.py)."""
    from browser_tests.page_kinds import PopulatedClass

    return PopulatedClass.create(make, instructor, student, exercise)
