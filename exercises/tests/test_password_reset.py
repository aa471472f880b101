"""A forgotten password is reset through a link sent to the account's email; the answer never says
whether an account has the address typed."""

import re

import pytest
from django.urls import reverse

from testing.factory import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-fresh-pass-phrase-77"


@pytest.fixture
def ada(make):
    user = make.user("ada")
    user.email = "ada@example.org"
    user.save()
    return user


def ask_for_a_link(client, email):
    return client.post(reverse("password_reset"), {"email": email}, follow=True)


def link_in(message):
    return re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", message.body).group(1)


def test_a_reset_request_emails_a_link_that_sets_a_new_password(client, ada, mailoutbox):
    response = ask_for_a_link(client, "ADA@example.org")
    assert response.redirect_chain == [(reverse("password_reset_done"), 302)]
    (message,) = mailoutbox
    assert message.to == ["ada@example.org"]
    assert "Your username, in case you forgot it too: ada" in message.body

    form = client.get(link_in(message), follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
    )
    assert done.redirect_chain[-1][0] == reverse("password_reset_complete")
    ada.refresh_from_db()
    assert ada.check_password(NEW_PASSWORD)
    assert not ada.check_password(PASSWORD)


def test_a_reset_link_works_only_once(client, ada, mailoutbox):
    ask_for_a_link(client, "ada@example.org")
    url = link_in(mailoutbox[0])
    form = client.get(url, follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    again = client.get(url, follow=True)
    assert "This link does not work" in again.content.decode()


def test_an_unknown_email_gets_the_same_answer_and_no_message(client, ada, mailoutbox):
    known = ask_for_a_link(client, "ada@example.org")
    unknown = ask_for_a_link(client, "nobody@example.org")
    assert unknown.redirect_chain == known.redirect_chain
    assert unknown.content == known.content
    assert len(mailoutbox) == 1


def test_a_malformed_email_is_refused_with_a_message(client, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "not-an-address"})
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()


def test_reset_requests_for_one_email_are_throttled_whether_or_not_it_has_an_account(client, ada, mailoutbox):
    for email in ("ada@example.org", "nobody@example.org"):
        statuses = [client.post(reverse("password_reset"), {"email": email}).status_code for _ in range(4)]
        assert statuses == [302, 302, 302, 429]
    assert len(mailoutbox) == 3
    response = client.post(reverse("password_reset"), {"email": "ada@example.org"})
    assert "Too many reset requests" in response.content.decode()


def test_without_a_mail_server_the_page_says_so_and_sends_nothing(client, ada, settings, mailoutbox):
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    page = client.get(reverse("password_reset")).content.decode()
    assert "This site is not set up to send email" in page
    assert "<form" not in page.split("<main", 1)[1]
    client.post(reverse("password_reset"), {"email": "ada@example.org"})
    assert mailoutbox == []
