from django.shortcuts import get_object_or_404, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe

from lessons.models import Excerpt, Lesson, Move, Paper, Part, Section
from lessons.pages import kept_for_visitors
from lessons.reading import present


@kept_for_visitors
@require_safe
def home(request):
    # The parts are read only when the cached layout below is rendered (home.html).
    parts = Part.objects.prefetch_related("lessons")
    first_lesson = Lesson.objects.order_by("order").first()
    return render(request, "lessons/home.html", {"parts": parts, "first_lesson": first_lesson})


@kept_for_visitors
@require_safe
def lesson_list(request):
    lessons = Lesson.objects.select_related("part")
    return render(request, "lessons/lesson_list.html", {"lessons": lessons, "nav": "lessons"})


def _reading(request):
    """What the reader asked to see of the excerpts: `?only=<move>` or `?highlights=off`.

    Returns (view, error): an unknown move is answered with all moves and a message (400).
    """
    only = request.GET.get("only") or None
    highlights = request.GET.get("highlights") != "off"
    if only is not None and not Move.objects.filter(slug=only).exists():
        return {"only": None, "highlights": highlights, "unknown": only}, 400
    return {"only": only, "highlights": highlights, "unknown": None}, 200


@kept_for_visitors
@require_safe
def lesson_detail(request, slug):
    lesson = get_object_or_404(Lesson.objects.select_related("part"), slug=slug)
    reading, status = _reading(request)
    # The body of the page is a cached fragment keyed on the guide's version (and what the reader
    # asked to see); what it shows is read from the database only when it has to be rendered.
    context = {
        "lesson": lesson,
        "reading": reading,
        "body": SimpleLazyObject(lambda: _lesson_body(lesson, reading)),
        "nav": "lessons",
    }
    return render(request, "lessons/lesson_detail.html", context, status=status)


def _lesson_body(lesson, reading):
    excerpts = list(lesson.excerpts_in_order())
    return {
        "excerpts": excerpts,
        "notes": present(excerpts, reading["only"], reading["highlights"]),
        "legend": _legend(excerpts),
        "parts": Part.objects.all(),
        # The exercises app hangs its exercises on parts; the lesson lists those of its part.
        "exercises": lesson.part.exercises.all() if lesson.part else [],
        "previous": lesson.previous(),
        "next": lesson.following(),
    }


@kept_for_visitors
@require_safe
def paper_list(request):
    return render(request, "lessons/paper_list.html", {"papers": Paper.objects.all(), "nav": "papers"})


@kept_for_visitors
@require_safe
def paper_detail(request, slug):
    paper = get_object_or_404(Paper, slug=slug)
    reading, status = _reading(request)
    # As for lessons: the body is a cached fragment, its data read only to render it.
    context = {
        "paper": paper,
        "reading": reading,
        "body": SimpleLazyObject(lambda: _paper_body(paper, reading)),
        "nav": "papers",
    }
    return render(request, "lessons/paper_detail.html", context, status=status)


def _paper_body(paper, reading):
    excerpts = list(Excerpt.objects.for_display().filter(paper=paper))
    return {
        "notes": present(excerpts, reading["only"], reading["highlights"]),
        "parts": _parts_with_sections(paper.sections.select_related("part")),
        "excerpts": excerpts,
        "legend": _legend(excerpts),
    }


def _legend(excerpts):
    return Move.objects.filter(move_set__in={e.move_set_id for e in excerpts}).select_related("move_set")


@kept_for_visitors
@require_safe
def compare(request):
    papers = list(Paper.objects.all())
    # Each section links to its annotated excerpts, read in one query for the whole table.
    sections = list(Section.objects.select_related("part").prefetch_related("excerpts"))
    parts = list(Part.objects.all())
    rows = [
        {
            "part": part,
            "cells": [
                {"paper": p, "sections": [s for s in sections if s.part_id == part.pk and s.paper_id == p.pk]}
                for p in papers
            ],
        }
        for part in parts
    ]
    return render(request, "lessons/compare.html", {"papers": papers, "rows": rows, "nav": "papers"})


def _parts_with_sections(sections):
    parts = []
    for section in sections:
        if not parts or parts[-1]["part"].pk != section.part_id:
            parts.append({"part": section.part, "sections": []})
        parts[-1]["sections"].append(section)
    return parts
