"""Pages leave compressed when the browser accepts gzip, so a reader downloads a fraction of the HTML."""

import gzip

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGES = [
    ("home", "/"),
    ("a paper", "/papers/lee-2016/"),
    ("an exercise", "/exercises/lee-2016-abstract/"),
]


@pytest.mark.parametrize(("name", "path"), PAGES, ids=[name for name, _ in PAGES])
def test_a_page_is_sent_gzipped_to_a_browser_that_accepts_it_and_reads_the_same(client, name, path):
    plain = client.get(path)
    packed = client.get(path, headers={"accept-encoding": "gzip, deflate, br"})

    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    html = gzip.decompress(packed.content).decode()
    assert "<h1" in html and "</html>" in html
    assert len(packed.content) < len(plain.content) / 2.5  # at level 1 (PAGE_GZIP_LEVEL), about a third
    assert int(packed["Content-Length"]) == len(packed.content)


def test_the_same_page_compressed_twice_differs_in_length_against_breach(client):
    # Django's padding, kept at our level: a random-length name in the gzip header. The sign-up page
    # holds a secret (the form's CSRF token) and is made for each request. (A kept page compresses
    # its token on its own instead: exercises/tests/test_kept_reader_pages.py.)
    path = reverse("signup")
    lengths = {len(client.get(path, headers={"accept-encoding": "gzip"}).content) for _ in range(20)}
    assert len(lengths) > 1


def test_a_page_kept_for_visitors_is_compressed_once_without_padding(client):
    # The same for every visitor and holding no secret (lessons.pages): nothing for BREACH to find.
    plain = client.get("/").content
    packed = {client.get("/", headers={"accept-encoding": "gzip"}).content for _ in range(5)}
    assert len(packed) == 1
    assert gzip.decompress(packed.pop()) == plain


@pytest.mark.parametrize("level", [1, 6])
def test_the_gzip_level_is_a_setting_and_either_level_reads_the_same(client, settings, level):
    settings.PAGE_GZIP_LEVEL = level
    plain = client.get("/papers/lee-2016/").content.decode()
    packed = client.get("/papers/lee-2016/", headers={"accept-encoding": "gzip"})
    html = gzip.decompress(packed.content).decode()
    assert html.split('name="csrfmiddlewaretoken"')[0] == plain.split('name="csrfmiddlewaretoken"')[0]


def test_a_client_that_does_not_ask_for_gzip_gets_plain_html(client):
    response = client.get("/")

    assert "Content-Encoding" not in response
    assert response.content.decode().rstrip().endswith("</html>")


def test_the_submit_fragment_htmx_swaps_is_compressed_too(client, make, exercise):
    response = client.post(
        reverse("exercise_submit", args=[exercise.slug]),
        make.answers(exercise),
        headers={"accept-encoding": "gzip", "hx-request": "true"},
    )

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Right" in gzip.decompress(response.content).decode()
