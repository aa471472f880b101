from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url

from drafts.advice import advice_texts
from drafts.forms import MAX_CHARACTERS, MAX_SENTENCES, CheckForm, IntentForm, RenameForm
from drafts.models import THROTTLE_LIMIT, Draft, DraftGone, Revision, Throttled
from drafts.move_maps import abstract_guide
from drafts.moves import tagger
from exercises.learners import SESSION_KEY, current_learner_id, is_signed_in, learner_id_for_writing

# Every page here shows a learner's own writing: never_cache marks them private, no-store, so no
# shared cache (a CDN, a school proxy) keeps one person's page for another.

# A draft's page lists this many of its latest revisions with their move maps.
RECENT_REVISIONS = 30
# /write/ lists this many of the learner's drafts, most recently checked first.
RECENT_DRAFTS = 50


def _draft(request, draft_id):
    """The draft `draft_id` if it belongs to this session's learner, else 404."""
    draft = Draft.objects.for_learner(current_learner_id(request)).filter(pk=draft_id).first()
    if draft is None:
        raise Http404("No such draft of yours.")
    return draft


def _revision(draft, number):
    revision = draft.revisions.filter(number=number).first()
    if revision is None:
        raise Http404("No such revision of this draft.")
    return revision


def _dressed(sentence, guide):
    """`sentence` with the Moves the template shows (the tagger's and the learner's)."""
    sentence.move_shown = guide.move(sentence.move)
    sentence.intended_shown = guide.move(sentence.intended) if sentence.intended else None
    return sentence


def _context(request, draft=None, revision=None, form=None, **extra):
    guide = abstract_guide()
    context = {
        "guide": guide,
        "draft": draft,
        "revision": revision,
        "signed_in": is_signed_in(request),
        "retention_days": settings.ANONYMOUS_RETENTION_DAYS,
        "max_characters": f"{MAX_CHARACTERS:,}",
        "max_sentences": MAX_SENTENCES,
        "nav": "write",
    }
    if revision is not None:
        context["sentences"] = [_dressed(sentence, guide) for sentence in revision.sentences.all()]
        context["strip"] = guide.strip("Your abstract", revision.moves, revision.word_count)
        advice = advice_texts().advise(revision.moves, revision.word_count, guide.most_sentences, guide.most_words)
        context["advice"] = [(piece, guide.lessons.get(piece.lesson, "")) for piece in advice]
    if draft is not None:
        revisions = list(draft.revisions.defer("text").order_by("-number")[:RECENT_REVISIONS])
        for earlier in revisions:
            earlier.draft = draft
            earlier.strip = guide.strip(f"Revision {earlier.number}", earlier.moves, earlier.word_count)
        context["revisions"] = revisions
        context["older_revisions"] = draft.revision_count - len(revisions)
        context["rename_form"] = RenameForm(prefix="rename", initial={"title": draft.title})
    else:
        drafts = list(Draft.objects.for_learner(current_learner_id(request))[:RECENT_DRAFTS])
        latest = Revision.objects.filter(draft__in=[each.pk for each in drafts]).latest_of_each_draft().defer("text")
        strips = {shown.draft_id: guide.strip("", shown.moves, shown.word_count) for shown in latest}
        for each in drafts:
            each.strip = strips.get(each.pk)
        context["drafts"] = drafts
    if form is None:
        form = CheckForm(with_title=draft is None, initial={"text": revision.text if revision else ""})
    context["form"] = form
    context["check_url"] = reverse("draft_check", args=[draft.pk]) if draft else reverse("write")
    context.update(extra)
    return context


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
@vary_on_headers("HX-Request")
def write(request):
    if request.method == "POST":
        return _check(request, None)
    return render(request, "drafts/write.html", _context(request))


@require_safe
@never_cache
def draft_detail(request, draft_id):
    draft = _draft(request, draft_id)
    return render(request, "drafts/write.html", _context(request, draft, draft.latest_revision()))


@require_safe
@never_cache
def revision_detail(request, draft_id, number):
    draft = _draft(request, draft_id)
    return render(request, "drafts/write.html", _context(request, draft, _revision(draft, number)))


@require_POST
@never_cache
def draft_check(request, draft_id):
    return _check(request, _draft(request, draft_id))


def _check(request, draft):
    """Check the posted text: a new revision of `draft` (a new draft if None), or the form with its errors."""
    form = CheckForm(request.POST, with_title=draft is None)
    template = "drafts/write.html#work" if request.htmx else "drafts/write.html"
    if not form.is_valid():
        revision = draft.latest_revision() if draft else None
        return render(request, template, _context(request, draft, revision, form=form), status=400)
    tagged = tagger().tag(form.sentences)
    text, title = form.cleaned_data["text"], form.cleaned_data.get("title", "")
    try:
        learner_id = current_learner_id(request) if draft else learner_id_for_writing(request)
        revision = Revision.objects.record(learner_id, draft and draft.pk, text, tagged, title=title)
    except Throttled as throttled:
        context = _context(request, draft, draft.latest_revision() if draft else None, form=form)
        context.update(throttled=throttled.retry_after, throttle_limit=THROTTLE_LIMIT)
        response = render(request, template, context, status=429)
        response["Retry-After"] = str(throttled.retry_after)
        return response
    except DraftGone:
        if draft is not None:
            raise Http404("No such draft of yours.") from None
        # The session named a learner that is gone (purged, or merged into an account): start anew.
        request.session.pop(SESSION_KEY, None)
        revision = Revision.objects.record(learner_id_for_writing(request), None, text, tagged, title=title)
    draft = revision.draft
    if not request.htmx:
        return redirect(f"{draft.get_absolute_url()}#analysis")
    response = render(request, template, _context(request, draft, revision, checked=True))
    return push_url(response, draft.get_absolute_url())


@require_POST
@never_cache
def sentence_intent(request, draft_id, number, position):
    draft = _draft(request, draft_id)
    revision = _revision(draft, number)
    sentence = revision.sentences.filter(position=position).first()
    if sentence is None:
        raise Http404("No such sentence in this revision.")
    guide = abstract_guide()
    form = IntentForm(guide.moves, request.POST)
    if not form.is_valid():
        if request.htmx:
            sentence = _dressed(sentence, guide)
            sentence.intent_errors = form.errors["move"]
            context = {"draft": draft, "revision": revision, "sentence": sentence, "guide": guide}
            return render(request, "drafts/write.html#sentence", context, status=400)
        context = _context(request, draft, revision)
        for shown in context["sentences"]:
            if shown.position == position:
                shown.intent_errors = form.errors["move"]
        return render(request, "drafts/write.html", context, status=400)
    sentence.intend(form.cleaned_data["move"] or None)
    if not request.htmx:
        url = draft.get_absolute_url() if number == draft.revision_count else revision.get_absolute_url()
        return redirect(f"{url}#sentence-{position}")
    context = {"draft": draft, "revision": revision, "sentence": _dressed(sentence, guide), "guide": guide}
    return render(request, "drafts/write.html#sentence", {**context, "intent_saved": True})


@require_POST
@never_cache
def draft_rename(request, draft_id):
    draft = _draft(request, draft_id)
    form = RenameForm(request.POST, prefix="rename")
    if not form.is_valid():
        context = _context(request, draft, draft.latest_revision(), rename_form=form)
        return render(request, "drafts/write.html", context, status=400)
    draft.rename(form.cleaned_data["title"])
    messages.success(request, f"This draft is now called “{draft.display_title}”.")
    return redirect(draft)


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def draft_delete(request, draft_id):
    draft = _draft(request, draft_id)
    if request.method != "POST":
        return render(request, "drafts/confirm_delete.html", {"draft": draft, "nav": "write"})
    title, count = draft.display_title, draft.revision_count
    draft.delete()
    messages.success(request, f"“{title}” and its {count} revision{'s' if count != 1 else ''} are deleted.")
    return redirect("write")
