"""The sanitiser's allow-list, and the promises around it: no attributes from Markdown,
idempotence, thread safety, and annotations that cannot escape into an attribute."""

from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser

import pytest

from lessons.markdown import Mark, RenderError, render_annotated, render_markdown
from lessons.sanitizer import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES, sanitize
from writing_guide.tests.xss_corpus import load_vectors

VECTORS = load_vectors()


class _Elements(HTMLParser):
    """Every element of a piece of HTML as (tag, {attribute: value}), as a browser would see it."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.found = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def elements(html):
    return _Elements(html).found


def attribute_names(html):
    return {name for _, attributes in elements(html) for name in attributes}


def test_the_corpus_holds_at_least_fifty_vectors_in_markdown_and_html():
    assert len(VECTORS) >= 50
    assert {vector["kind"] for vector in VECTORS} == {"markdown", "html"}


def test_the_allow_list_names_no_dangerous_attribute():
    names = {name for attributes in ALLOWED_ATTRIBUTES.values() for name in attributes}
    for name in names:
        assert not name.startswith(("on", "hx-", "data-")), name
    assert not names & {"style", "id", "name", "class", "src", "srcdoc", "action", "formaction", "xlink:href"}


def test_the_allow_list_names_no_dangerous_tag():
    dangerous = {"script", "style", "iframe", "object", "embed", "img", "form", "input", "button", "svg", "base"}
    assert not ALLOWED_TAGS & (dangerous | {"link", "meta", "template", "noscript", "textarea", "h1", "div"})


def test_links_may_use_only_http_https_mailto_and_relative_urls():
    kept = ["http://example.org/a", "https://example.org/a", "mailto:a@example.org", "/lessons/", "#notes", "x.html"]
    for url in kept:
        assert f'href="{url}"' in sanitize(f'<a href="{url}">x</a>')
    for url in ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "vbscript:x", "file:///etc/passwd"]:
        assert "href" not in sanitize(f'<a href="{url}">x</a>'), url


@pytest.mark.parametrize(
    "attribute",
    ['style="color:red"', 'onclick="x()"', 'onmouseover="x()"', 'id="main"', 'name="body"', 'class="skip-link"',
     'hx-get="/x"', 'hx-on:click="x()"', 'data-hx-get="/x"', 'data-x="1"', "autofocus", 'tabindex="1"'],
)  # fmt: skip
def test_forbidden_attributes_are_removed_from_allowed_tags(attribute):
    html = sanitize(f'<p {attribute}>text</p><a href="/ok" {attribute}>link</a><td {attribute}>c</td>')
    assert attribute.split("=")[0] not in html


def test_links_get_noopener_noreferrer():
    assert sanitize('<a href="https://example.org" rel="opener" target="_blank">x</a>') == (
        '<a href="https://example.org" rel="noopener noreferrer">x</a>'
    )


def test_markdown_attribute_lists_cannot_add_attributes():
    source = (
        'A paragraph.\n{: onclick="alert(1)" id="main" style="x" hx-get="/x" }\n\n'
        "## Heading {#main .htmx-indicator onclick=alert(1)}\n\n"
        '[link](/ok){: onmouseover="alert(1)" autofocus }\n\n'
        '<div markdown="1" onclick="alert(1)">\n\n*inside*\n\n</div>\n'
    )
    html = render_markdown(source)
    assert attribute_names(html) <= {"href", "rel"}
    assert "<h2>Heading {#main .htmx-indicator onclick=alert(1)}</h2>" in html


def test_a_script_never_reaches_the_rendered_html():
    allowed_attributes = {name for names in ALLOWED_ATTRIBUTES.values() for name in names} | {"rel"}
    for vector in VECTORS:
        found = elements(render_markdown(vector["body"]))
        assert {tag for tag, _ in found} <= ALLOWED_TAGS, vector["name"]
        assert {name for _, attributes in found for name in attributes} <= allowed_attributes, vector["name"]
        for _, attributes in found:
            if "href" in attributes:
                scheme = attributes["href"].split(":", 1)[0].lower() if ":" in attributes["href"] else ""
                assert scheme in URL_SCHEMES or not scheme.isalpha(), (vector["name"], attributes["href"])


def test_sanitizing_is_idempotent_over_the_corpus():
    for vector in VECTORS:
        once = sanitize(vector["body"])
        assert sanitize(once) == once, vector["name"]
        rendered = render_markdown(vector["body"])
        assert sanitize(rendered) == rendered, vector["name"]


def test_sixteen_threads_render_the_corpus_identically():
    def render_all(_):
        return [render_markdown(vector["body"]) for vector in VECTORS] + [sanitize(v["body"]) for v in VECTORS]

    expected = render_all(None)
    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(render_all, range(16 * 4)))
    assert all(result == expected for result in results)


def test_annotation_marks_escape_the_move_and_the_note():
    html = render_annotated("A plain quote here.", [Mark(2, 13, 'x" onclick="alert(1)', "<b>", "<script>")])
    assert 'data-move="x&quot; onclick=&quot;alert(1)"' in html
    assert "<b>" not in html and "<script>" not in html


@pytest.mark.parametrize("quoted", ["quote", "title"])
def test_an_annotation_inside_a_link_address_or_title_is_refused(quoted):
    # Unchecked, the <mark data-move="..."> lands inside the attribute value and the move's
    # text becomes new attributes of the link.
    source = 'See [the link](/x/quote "a title") here.'
    start = source.index(quoted)
    mark = Mark(start, start + len(quoted), "x onmouseover=alert(1) y", "Move", "note")
    with pytest.raises(RenderError, match="inside a link"):
        render_annotated(source, [mark])


def test_an_annotated_text_with_private_use_characters_is_refused():
    with pytest.raises(RenderError, match="private-use"):
        render_annotated("Text \ue000 0\ue001 here.", [Mark(0, 4, "move", "Move", "note")])


@pytest.mark.parametrize("href", ["//evil.example/x", "/\\evil.example/x", "\\\\evil.example\\x"])
def test_a_link_that_only_looks_relative_loses_its_address(href):
    assert "href" not in attribute_names(sanitize(f'<a href="{href}">off-site</a>'))


def test_links_within_the_site_are_kept():
    html = sanitize('<a href="/exercises/">a</a><a href="#excerpt-1">b</a><a href="next/">c</a>')
    assert [attributes["href"] for _, attributes in elements(html)] == ["/exercises/", "#excerpt-1", "next/"]
