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
The sets are immutable and nh3 builds its cleaner per call, so `sanitize` is safe to call from
any number of threads. Cleaning clean output returns it unchanged (idempotent).
"""

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


def _relative_url(url):
    # "//host/path" and "/\\host" parse as relative but lead to another site: strip them.
    return None if url.startswith(("//", "/\\", "\\")) else url


def sanitize(html):
    """Return `html` with everything outside the allow-list removed."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
        url_relative=_relative_url,
    )
