from django.shortcuts import get_object_or_404, render
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
    return render(request, "lessons/lesson_list.html", {"lessons": lessons})


@require_safe
def lesson_detail(request, slug):
    lesson = get_object_or_404(Lesson.objects.with_excerpts(), slug=slug)
    excerpts = [lesson_excerpt.excerpt for lesson_excerpt in lesson.lesson_excerpts.all()]
    lessons = list(Lesson.objects.only("slug", "title", "order"))
    index = next(i for i, other in enumerate(lessons) if other.pk == lesson.pk)
    context = {
        "lesson": lesson,
        "excerpts": excerpts,
        "legend": Move.objects.filter(move_set__in={e.move_set_id for e in excerpts}).select_related("move_set"),
        "parts": Part.objects.all(),
        # The exercises app hangs its exercises on parts; the lesson lists those of its part.
        "exercises": lesson.part.exercises.all() if lesson.part else [],
        "previous": lessons[index - 1] if index > 0 else None,
        "next": lessons[index + 1] if index + 1 < len(lessons) else None,
    }
    return render(request, "lessons/lesson_detail.html", context)


@require_safe
def paper_list(request):
    return render(request, "lessons/paper_list.html", {"papers": Paper.objects.all()})


@require_safe
def paper_detail(request, slug):
    paper = get_object_or_404(Paper, slug=slug)
    sections = list(paper.sections.select_related("part"))
    excerpts = list(Excerpt.objects.for_display().filter(paper=paper))
    context = {
        "paper": paper,
        "parts": _parts_with_sections(sections),
        "excerpts": excerpts,
        "legend": Move.objects.filter(move_set__in={e.move_set_id for e in excerpts}).select_related("move_set"),
    }
    return render(request, "lessons/paper_detail.html", context)


@require_safe
def compare(request):
    papers = list(Paper.objects.all())
    sections = list(Section.objects.select_related("part"))
    parts = list(Part.objects.all())
    rows = [
        {"part": part, "cells": [[s for s in sections if s.part_id == part.pk and s.paper_id == p.pk] for p in papers]}
        for part in parts
    ]
    return render(request, "lessons/compare.html", {"papers": papers, "rows": rows})


def _parts_with_sections(sections):
    parts = []
    for section in sections:
        if not parts or parts[-1]["part"].pk != section.part_id:
            parts.append({"part": section.part, "sections": []})
        parts[-1]["sections"].append(section)
    return parts
