from django.shortcuts import get_object_or_404, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe

from lessons.models import Excerpt, Lesson, Move, Paper, Part, Section


@require_safe
def home(request):
    parts = Part.objects.prefetch_related("lessons")
    first_lesson = Lesson.objects.order_by("order").first()
    return render(request, "lessons/home.html", {"parts": parts, "first_lesson": first_lesson})


@require_safe
def lesson_list(request):
    lessons = Lesson.objects.select_related("part")
    return render(request, "lessons/lesson_list.html", {"lessons": lessons, "nav": "lessons"})


@require_safe
def lesson_detail(request, slug):
    lesson = get_object_or_404(Lesson.objects.select_related("part"), slug=slug)
    # The body of the page is a cached fragment keyed on the guide's version; what it shows is
    # read from the database only when that fragment has to be rendered.
    context = {"lesson": lesson, "body": SimpleLazyObject(lambda: _lesson_body(lesson)), "nav": "lessons"}
    return render(request, "lessons/lesson_detail.html", context)


def _lesson_body(lesson):
    excerpts = lesson.excerpts_in_order()
    return {
        "excerpts": excerpts,
        "legend": _legend(excerpts),
        "parts": Part.objects.all(),
        # The exercises app hangs its exercises on parts; the lesson lists those of its part.
        "exercises": lesson.part.exercises.all() if lesson.part else [],
        "previous": lesson.previous(),
        "next": lesson.following(),
    }


@require_safe
def paper_list(request):
    return render(request, "lessons/paper_list.html", {"papers": Paper.objects.all(), "nav": "papers"})


@require_safe
def paper_detail(request, slug):
    paper = get_object_or_404(Paper, slug=slug)
    # As for lessons: the body is a cached fragment, its data read only to render it.
    context = {"paper": paper, "body": SimpleLazyObject(lambda: _paper_body(paper)), "nav": "papers"}
    return render(request, "lessons/paper_detail.html", context)


def _paper_body(paper):
    excerpts = list(Excerpt.objects.for_display().filter(paper=paper))
    return {
        "parts": _parts_with_sections(paper.sections.select_related("part")),
        "excerpts": excerpts,
        "legend": _legend(excerpts),
    }


def _legend(excerpts):
    return Move.objects.filter(move_set__in={e.move_set_id for e in excerpts}).select_related("move_set")


@require_safe
def compare(request):
    papers = list(Paper.objects.all())
    sections = list(Section.objects.select_related("part"))
    parts = list(Part.objects.all())
    rows = [
        {"part": part, "cells": [[s for s in sections if s.part_id == part.pk and s.paper_id == p.pk] for p in papers]}
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
