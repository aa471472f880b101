"""Every kind of page has a title of its own and a description, for search engines and link previews."""

from html.parser import HTMLParser

import pytest
from django.test import Client

from exercises.models import Exercise
from lessons.models import Lesson, Paper

pytestmark = pytest.mark.django_db

SITE = "Academic Writing from Samples"
MAX_DESCRIPTION = 160  # characters, as search engines show them


class Head(HTMLParser):
    """The page's <title> and its <meta> tags by name or property."""

    def __init__(self, html):
        super().__init__()
        self.title, self.meta, self._in_title = "", {}, False
        self.feed(html[: html.index("</head>")])  # the body has <title>s of its own, in SVG figures

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self._in_title = tag == "title"
        if tag == "meta" and ("name" in attrs or "property" in attrs):
            self.meta[attrs.get("name") or attrs["property"]] = attrs.get("content")

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


# (page kind, who looks, the path or a function of the course that gives it)
PAGE_KINDS = [
    ("home", None, "/"),
    ("lesson list", None, "/lessons/"),
    ("lesson", None, "/lessons/meta-information/"),
    ("paper list", None, "/papers/"),
    ("paper", None, "/papers/lee-2016/"),
    ("comparison", None, "/papers/compare/"),
    ("exercise list", None, "/exercises/"),
    ("exercise", None, "/exercises/lee-2016-abstract/"),
    ("bank exercise", None, "/exercises/anand-2012-abstract/"),
    ("progress", None, "/progress/"),
    ("your abstract", None, "/write/"),
    ("log-in", None, "/accounts/login/"),
    ("sign-up", None, "/accounts/signup/"),
    ("password reset", None, "/accounts/password/reset/"),
    ("account", "student", "/accounts/"),
    ("password change", "student", "/accounts/password/"),
    ("join", "student", "/courses/join/"),
    ("join link", None, lambda course: f"/courses/join/{course.join_code}/"),
    ("course list", "instructor", "/courses/"),
    ("new course", "instructor", "/courses/new/"),
    ("dashboard", "instructor", lambda course: course.get_absolute_url()),
    ("student's course", "student", lambda course: course.get_absolute_url()),
]


@pytest.fixture
def head_of(request, course, student):
    """The <head> of a page kind, as its viewer gets it."""
    course.join(student)

    def head(viewer, path):
        client = Client()
        if viewer:
            client.force_login(request.getfixturevalue(viewer))
        response = client.get(path(course) if callable(path) else path)
        assert response.status_code == 200, path
        return Head(response.content.decode())

    return head


@pytest.mark.parametrize(("kind", "viewer", "path"), PAGE_KINDS, ids=[kind for kind, _, _ in PAGE_KINDS])
def test_every_page_kind_has_its_title_and_a_short_description(head_of, kind, viewer, path):
    head = head_of(viewer, path)
    description = head.meta["description"]
    assert description and description.strip() == description, kind
    assert len(description) <= MAX_DESCRIPTION, (kind, len(description))
    assert head.title.endswith(f" · {SITE}")
    # Link previews: the same title (without the site's name) and description, and the site's name.
    assert head.meta["og:title"] == head.title.removesuffix(f" · {SITE}")
    assert head.meta["og:description"] == description
    assert head.meta["og:type"] == "website"
    assert head.meta["og:site_name"] == SITE


def test_no_two_page_kinds_share_a_title_or_a_description(head_of):
    heads = {kind: head_of(viewer, path) for kind, viewer, path in PAGE_KINDS}
    titles = [head.title for head in heads.values()]
    descriptions = [head.meta["description"] for head in heads.values()]
    assert len(set(titles)) == len(titles), titles
    assert len(set(descriptions)) == len(descriptions), descriptions


@pytest.mark.parametrize("model", [Lesson, Paper, Exercise], ids=["every lesson", "every paper", "every exercise"])
def test_every_page_of_the_guide_has_a_short_description_of_its_own(client, model):
    descriptions = set()
    for page in model.objects.all():
        description = Head(client.get(page.get_absolute_url()).content.decode()).meta["description"]
        assert 0 < len(description) <= MAX_DESCRIPTION, (page, len(description))
        descriptions.add(description)
    assert len(descriptions) == model.objects.count()


def test_a_description_is_escaped_text(client):
    Lesson.objects.filter(slug="background").update(summary='A "quoted" <b>summary</b> & more')
    html = client.get("/lessons/background/").content.decode()
    expected = "A &quot;quoted&quot; &lt;b&gt;summary&lt;/b&gt; &amp; more"
    assert f'<meta name="description" content="{expected}">' in html
    assert f'<meta property="og:description" content="{expected}">' in html
