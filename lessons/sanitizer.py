"""The one sanitiser every piece of rendered content goes through, and its allow-list.

What may pass:
- tags: text structure (paragraphs, headings h2-h6, lists, quotes, code), inline emphasis,
  links, tables, and the MathML that formulas become;
- attributes: only those listed per tag below; never `style`, never event handlers (`on*`),
  never `id` or `name` (they could shadow the page's own elements), never `class`, never
  `hx-*` / `data-hx-*` or any other `data-*`;
- URLs: http, https, mailto and relative ones (not protocol-relative `//host`, which leads
  off-site); links get rel="noopener noreferrer".

Everything else is removed; the content of `script`, `style` and similar is dropped entirely.

Text that users write (questions and answers) goes through the same function with the `USER_POSTS`
profile: a smaller set (paragraphs, emphasis, code, lists, quotes, links and maths; no headings,
tables or images), links to http(s) addresses only, marked rel="nofollow ugc noopener".
The sets are immutable and nh3 builds its cleaner per call, so `sanitize` is safe to call from
any number of threads. Cleaning clean output returns it unchanged (idempotent).
"""

from dataclasses import dataclass

import nh3

TEXT_TAGS = frozenset(
    {
        "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "code",
        "ul", "ol", "li", "dl", "dt", "dd",
        "strong", "em", "b", "i", "sup", "sub", "small", "abbr", "cite", "q", "del", "ins", "s",
        "a",
        "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    }
)  # fmt: skip

MATHML_TAGS = frozenset(
    {
        "math", "semantics", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "mstyle",
        "mfrac", "msqrt", "mroot", "msub", "msup", "msubsup", "munder", "mover", "munderover",
        "mtable", "mtr", "mtd", "mpadded", "mphantom", "menclose", "mfenced",
    }
)  # fmt: skip

ALLOWED_TAGS = TEXT_TAGS | MATHML_TAGS

ALLOWED_ATTRIBUTES = {
    "a": frozenset({"href", "title"}),
    "abbr": frozenset({"title"}),
    "ol": frozenset({"start"}),
    "th": frozenset({"colspan", "rowspan", "scope", "align"}),
    "td": frozenset({"colspan", "rowspan", "align"}),
    "math": frozenset({"display", "xmlns"}),
    "mo": frozenset({"stretchy", "fence", "separator", "lspace", "rspace", "form", "largeop", "movablelimits"}),
    "mi": frozenset({"mathvariant"}),
    "mstyle": frozenset({"displaystyle", "scriptlevel", "mathvariant"}),
    "mspace": frozenset({"width"}),
    "mtable": frozenset({"columnalign", "rowspacing", "columnspacing"}),
    "mtd": frozenset({"columnalign"}),
    "mfrac": frozenset({"linethickness"}),
    "mover": frozenset({"accent"}),
    "munder": frozenset({"accentunder"}),
    "mfenced": frozenset({"open", "close", "separators"}),
}

URL_SCHEMES = frozenset({"http", "https", "mailto"})

# Elements whose content is dropped with them rather than kept as text.
DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "iframe", "object", "embed", "noscript", "textarea"})


# What a user's post may hold: the profile's tags, and links out only as http(s).
USER_TAGS = (
    frozenset(
        {"p", "br", "pre", "code", "ul", "ol", "li", "blockquote", "strong", "em", "b", "i", "sup", "sub", "del", "a"}
    )
    | MATHML_TAGS
)


@dataclass(frozen=True)
class Profile:
    tags: frozenset
    url_schemes: frozenset
    link_rel: str
    relative_urls: bool


CONTENT = Profile(ALLOWED_TAGS, URL_SCHEMES, "noopener noreferrer", relative_urls=True)
USER_POSTS = Profile(USER_TAGS, frozenset({"http", "https"}), "nofollow ugc noopener", relative_urls=False)


def _relative_url(url):
    # "//host/path" and "/\\host" parse as relative but lead to another site: strip them.
    return None if url.startswith(("//", "/\\", "\\")) else url


def _no_relative_url(url):
    return None


def sanitize(html, profile=CONTENT):
    """Return `html` with everything outside the allow-list of `profile` (the guide's content by
    default, or `USER_POSTS`) removed."""
    return nh3.clean(
        html,
        tags=set(profile.tags),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items() if tag in profile.tags},
        url_schemes=set(profile.url_schemes),
        link_rel=profile.link_rel,
        strip_comments=True,
        url_relative=_relative_url if profile.relative_urls else _no_relative_url,
    )
