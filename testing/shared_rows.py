"""Rows made once for a module's many tests, as Django's `setUpTestData` makes them for a class.

The access matrix and the hostile requests are thousands of tests that read the same world (two
courses, their members, attempts, objections, questions). Built per test it was most of the suite's
time. Here it is built once per module and worker, inside a transaction left open: each test runs
in a savepoint of it (pytest-django's per-test transaction nests), so whatever a test writes is
rolled back to the world, and the world is rolled back after the module's last test.

    @pytest.fixture(scope="module")
    def world(module_rows):
        with module_rows():
            return build_the_world(Factory())

The objects a world returns are shared by its tests: a test reads their ids and slugs and must not
change them in memory.
"""

from contextlib import contextmanager

import pytest
from django.db import transaction
from django.test import override_settings

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def module_rows(django_db_setup, django_db_blocker):
    """A context manager in which a module's shared rows are written; they last until the module ends."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()

    @contextmanager
    def writing():
        with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER):
            yield

    try:
        yield writing
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
