"""Forms' CSRF tokens, masked by `writing_guide.csrf`: Django's check accepts them, and no two
responses carry the same one (the masking that keeps the secret out of compressed pages)."""

import re

import pytest
from django.middleware.csrf import CSRF_SECRET_LENGTH, _unmask_cipher_token
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOGOUT_TOKEN = re.compile(
    r'action="/accounts/logout/"[^>]*>\s*<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"'
)


def test_a_signed_in_reader_logs_out_with_the_token_of_the_page_and_each_page_has_its_own(student):
    client = Client(enforce_csrf_checks=True)
    client.force_login(student)
    tokens = [LOGOUT_TOKEN.search(client.get(reverse("account")).content.decode()).group(1) for _ in range(3)]
    secret = client.cookies["csrftoken"].value
    assert len(set(tokens)) == 3
    assert all(len(token) == 2 * CSRF_SECRET_LENGTH and _unmask_cipher_token(token) == secret for token in tokens)
    assert client.post(reverse("logout"), {"csrfmiddlewaretoken": tokens[0]}).status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_token_of_another_secret_is_refused(student):
    client = Client(enforce_csrf_checks=True)
    client.force_login(student)
    token = LOGOUT_TOKEN.search(client.get(reverse("account")).content.decode()).group(1)
    other = Client(enforce_csrf_checks=True)
    other.force_login(student)
    other.get(reverse("account"))
    assert other.post(reverse("logout"), {"csrfmiddlewaretoken": token}).status_code == 403
