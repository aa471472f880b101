"""The feedback's items, one per sentence: each kept under all it shows (`exercises.fragments`).

An item shows the sentence, the label chosen, the verdict, the explanations, how the others answered
(under their tally's key) and, under a wrong answer, the form to contest it: the same for every
attempt that chose the same label, but for the attempt's own addresses and the CSRF token. Those are
rendered as markers and put in afterwards. Rendering the items took 1.4 ms of a 4.6 ms submit
(bench/README.md). Not kept: an item with the learner's objection, the item just contested (its form
shows their text and errors), and a preview's (its rows are rolled back, and their ids given again).
"""

import secrets
from urllib.parse import quote

from django.utils.html import escape
from django.utils.safestring import mark_safe

from exercises.fragments import render_each
from lessons.pages import CSRF_MARKER
from writing_guide.csrf import get_token

# The attempt's address where the sign-in link passes it on (URL-quoted), and its objections' address.
_PAGE_MARKER = f"attempt-page-{secrets.token_hex(8)}"
_CONTEST_MARKER = f"attempt-objections-{secrets.token_hex(8)}"


class _MarkedAttempt:
    """Stands for the attempt while a kept item is rendered: its addresses are markers."""

    def get_absolute_url(self):
        return _PAGE_MARKER

    @property
    def contest_url(self):
        return _CONTEST_MARKER


def feedback_items(request, context):
    """The HTML of `context["feedback"]`'s items, in order, for the page's template (`context`)."""
    exercise, attempt, contested = context["exercise"], context.get("attempt"), context.get("contested")
    preview = context.get("preview", False)
    scope, class_answers = context.get("scope"), context.get("class_answers")
    page = {
        name: context.get(name)
        for name in ("Verdict", "ObjectionStatus", "signed_in", "scope", "class_answers", "reason_max_length",
                     "contested", "objection_form", "preview")
    }  # fmt: skip
    page["csrf_token"] = CSRF_MARKER
    shared = (
        f"feedback:{exercise.pk}:{exercise.guide_version}:{page['signed_in']}:{scope.name if scope else ''}:"
        f"{class_answers.peers_name if class_answers else ''}:{class_answers.shown if class_answers else ''}"
    )
    parts = []
    for result, objection, shares, shares_key in context["feedback"]:
        item = {**page, "result": result, "objection": objection, "shares": shares, "shares_key": shares_key}
        kept = not (preview or objection is not None or contested == result.sentence.pk)
        if kept:
            item["attempt"] = _MarkedAttempt()
            key = f"{shared}:{result.sentence.pk}:{result.chosen.pk}:{result.verdict}:{shares_key}"
        else:
            item["attempt"], key = attempt, None
        parts.append((key, item))
    html = "".join(render_each("exercises/exercise.html#feedback_item", parts))
    if attempt is not None:
        html = html.replace(_PAGE_MARKER, escape(quote(attempt.get_absolute_url(), safe="/")))
        html = html.replace(_CONTEST_MARKER, escape(attempt.contest_url))
    if CSRF_MARKER in html:
        html = html.replace(CSRF_MARKER, get_token(request))
    return mark_safe(html)  # noqa: S308 (each item escaped by the template engine; the addresses escaped here)
