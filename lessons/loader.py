"""Load the guide's layout, moves, papers, excerpts and lessons from `fixtures/`.

`read_guide` checks every file and returns what it found; the problems it meets are collected
on the reader, each naming the file, the item and what is wrong. `write_guide` stores it,
updating rows in place by their natural keys (slugs) so that ids, and everything that points at
them (exercises, attempts), survive a reload, and writes the guide's new version (`new_guide_version`)
on every lesson and paper. Call both inside one transaction; the whole guide's load does, and writes the
same version on the exercises.
"""

import hashlib
import secrets
from dataclasses import dataclass, field

from django.db.models import F

from lessons.content_files import require, require_slug, require_url
from lessons.figures import directive_count, directive_problems, rendered_directive_count
from lessons.markdown import Mark, render_annotated, render_inline, render_markdown, with_heading_ids
from lessons.models import Annotation, Excerpt, Lesson, LessonExcerpt, Move, MoveSet, Paper, Part, Section

PAPER_FIELDS = ["title", "short_name", "venue", "licence", "citation"]


@dataclass
class GuideContent:
    parts: list = field(default_factory=list)
    move_sets: list = field(default_factory=list)
    papers: list = field(default_factory=list)
    lessons: list = field(default_factory=list)
    files_digest: str = ""  # of every file below the guide's root: which files a version was loaded from

    def move_slugs(self, set_slug):
        for move_set in self.move_sets:
            if move_set["slug"] == set_slug:
                return {move["slug"]: move for move in move_set["moves"]}
        return None

    @property
    def part_slugs(self):
        return {part["slug"] for part in self.parts}

    @property
    def excerpt_slugs(self):
        return {excerpt["slug"] for paper in self.papers for excerpt in paper["excerpts"]}


def read_guide(root, reader):
    """Read and check every lesson-side content file below `root`; problems go to `reader.errors`."""
    content = GuideContent(files_digest=_files_digest(root))
    _read_layout(reader, root / "layout.toml", content)
    _read_moves(reader, root / "moves.toml", content)
    for path in reader.files("papers", ".toml"):
        _read_paper(reader, path, content)
    for path in reader.files("lessons", ".md"):
        _read_lesson(reader, path, content)
    if not content.papers:
        reader.error(root / "papers", "folder", "holds no paper")
    if not content.lessons:
        reader.error(root / "lessons", "folder", "holds no lesson")
    return content


def _unique(reader, path, item, seen, slug):
    if slug in seen:
        reader.error(path, item, f"the slug {slug!r} is used twice")
        return False
    seen.add(slug)
    return True


def _read_layout(reader, path, content):
    data = reader.toml(path)
    if data is None:
        return
    seen = set()
    for index, part in enumerate(data.get("parts", []), start=1):
        item = f"part {index}"
        values = [require_slug(reader, path, item, part)]
        values += [require(reader, path, item, part, key) for key in ("name", "purpose")]
        if None in values or not _unique(reader, path, item, seen, part["slug"]):
            continue
        purpose_html = reader.render(path, item, render_inline, part["purpose"])
        if purpose_html is not None:
            content.parts.append(
                {**part, "order": index, "sections": part.get("sections", []), "purpose_html": purpose_html}
            )
    if not content.parts:
        reader.error(path, "parts", "no part of the layout is defined")


def _read_moves(reader, path, content):
    data = reader.toml(path)
    if data is None:
        return
    seen_sets = set()
    for set_index, move_set in enumerate(data.get("sets", []), start=1):
        item = f"move set {move_set.get('slug', set_index)}"
        values = [require_slug(reader, path, item, move_set)]
        values += [require(reader, path, item, move_set, key) for key in ("name", "description")]
        if None in values or not _unique(reader, path, item, seen_sets, move_set["slug"]):
            continue
        moves, seen_moves = [], set()
        for move_index, move in enumerate(move_set.get("moves", []), start=1):
            move_item = f"{item}, move {move.get('slug', move_index)}"
            values = [require_slug(reader, path, move_item, move)]
            values += [require(reader, path, move_item, move, key) for key in ("name", "short", "description")]
            if None not in values and _unique(reader, path, move_item, seen_moves, move["slug"]):
                description_html = reader.render(path, move_item, render_inline, move["description"])
                if description_html is not None:
                    moves.append({**move, "order": move_index, "description_html": description_html})
        if not moves:
            reader.error(path, item, "has no moves")
        content.move_sets.append({**move_set, "order": set_index, "moves": moves})


def _read_paper(reader, path, content):
    data = reader.toml(path)
    if data is None:
        return
    item = f"paper {data.get('slug', path.stem)}"
    values = [require_slug(reader, path, item, data)]
    values += [require(reader, path, item, data, key) for key in PAPER_FIELDS]
    values.append(require_url(reader, path, item, data))
    if None in values:
        return
    authors = require(reader, path, item, data, "authors", list)
    year = require(reader, path, item, data, "year", int)
    if authors is None or year is None:
        return
    if any(paper["slug"] == data["slug"] for paper in content.papers):
        reader.error(path, item, f"the slug {data['slug']!r} is used by another paper")
        return
    sections, section_titles = [], set()
    for index, section in enumerate(data.get("sections", []), start=1):
        section_item = f"{item}, section {section.get('title', index)}"
        title = require(reader, path, section_item, section, "title")
        part = require(reader, path, section_item, section, "part")
        if title is None or part is None:
            continue
        if part not in content.part_slugs:
            reader.error(path, section_item, f"unknown part {part!r}; use one of {sorted(content.part_slugs)}")
            continue
        if not _unique(reader, path, section_item, section_titles, title):
            continue
        sections.append({"number": str(section.get("number", "")), "title": title, "part": part, "order": index})
    if not sections:
        reader.error(path, item, "has no sections")
    excerpts = []
    known = content.excerpt_slugs
    for index, excerpt in enumerate(data.get("excerpts", []), start=1):
        parsed = _read_excerpt(
            reader, path, f"{item}, excerpt {excerpt.get('slug', index)}", excerpt, content, section_titles, known
        )
        if parsed:
            known.add(parsed["slug"])
            excerpts.append({**parsed, "order": index})
    content.papers.append({**data, "order": len(content.papers) + 1, "sections": sections, "excerpts": excerpts})


def _read_excerpt(reader, path, item, excerpt, content, section_titles, known_slugs):
    values = [require_slug(reader, path, item, excerpt)]
    values += [require(reader, path, item, excerpt, key) for key in ("section", "move_set", "text")]
    if None in values:
        return None
    slug, section, set_slug, text = values
    ok = True
    if slug in known_slugs:
        reader.error(path, item, f"the slug {slug!r} is used by another excerpt")
        ok = False
    if section not in section_titles:
        reader.error(path, item, f"unknown section {section!r}; use the title of one of this paper's sections")
        ok = False
    moves = content.move_slugs(set_slug)
    if moves is None:
        reader.error(path, item, f"unknown move set {set_slug!r}")
        return None
    marks, annotations = [], []
    for index, annotation in enumerate(excerpt.get("annotations", []), start=1):
        annotation_item = f"{item}, annotation {index}"
        values = [require(reader, path, annotation_item, annotation, key) for key in ("quote", "move", "note")]
        if None in values:
            ok = False
            continue
        quote, move, note = values
        prefix = annotation.get("prefix", "")
        if move not in moves:
            reader.error(path, annotation_item, f"unknown move {move!r}; the set {set_slug!r} has {sorted(moves)}")
            ok = False
            continue
        found = text.count(prefix + quote)
        if found != 1:
            where = f"after the prefix {prefix!r} " if prefix else ""
            reader.error(
                path,
                annotation_item,
                f"the quote {quote!r} {where}is found {found} times in the "
                "excerpt, not exactly once; quote it exactly or add a `prefix`",
            )
            ok = False
            continue
        start = text.index(prefix + quote) + len(prefix)
        marks.append(Mark(start, start + len(quote), move, moves[move]["name"], note, moves[move]["short"]))
        annotations.append({"quote": quote, "prefix": prefix, "move": move, "note": note, "order": index})
    if not ok:
        return None
    html = reader.render(path, item, render_annotated, text, marks)
    if html is None:
        return None
    return {
        "slug": slug,
        "section": section,
        "move_set": set_slug,
        "title": excerpt.get("title", ""),
        "text": text,
        "html": html,
        "annotations": annotations,
    }


def _read_lesson(reader, path, content):
    meta, body = reader.front_matter(path)
    if meta is None:
        return
    item = f"lesson {meta.get('slug', path.stem)}"
    values = [require_slug(reader, path, item, meta)]
    values += [require(reader, path, item, meta, key) for key in ("title", "summary")]
    order = require(reader, path, item, meta, "order", int)
    if None in values or order is None:
        return
    if any(lesson["slug"] == meta["slug"] for lesson in content.lessons):
        reader.error(path, item, f"the slug {meta['slug']!r} is used by another lesson")
        return
    if any(lesson["order"] == order for lesson in content.lessons):
        reader.error(path, item, f"the order {order} is used by another lesson")
        return
    part = meta.get("part")
    if part is not None and part not in content.part_slugs:
        reader.error(path, item, f"unknown part {part!r}; use one of {sorted(content.part_slugs)}")
        return
    excerpts = meta.get("excerpts", [])
    unknown = [slug for slug in excerpts if slug not in content.excerpt_slugs]
    if unknown:
        reader.error(path, item, f"unknown excerpts {unknown}; name excerpts defined in papers/*.toml")
        return
    if not body.strip():
        reader.error(path, item, "the lesson has no body")
        return
    if not _figures_fit(reader, path, item, body):
        return
    rendered = reader.render(path, item, render_markdown, body)
    if rendered is None:
        return
    html, toc = with_heading_ids(rendered)
    if rendered_directive_count(html) != directive_count(body):
        reader.error(path, item, "a figure directive did not render as a paragraph of its own: put it at the margin")
        return
    content.lessons.append({**meta, "part": part, "excerpts": excerpts, "body": body, "html": html, "toc": toc})


def _figures_fit(reader, path, item, body):
    """Refuse figure directives (`[[figure:NAME]]`) that name no figure or do not stand alone,
    each with its line in the file; True when there is nothing to refuse."""
    problems = directive_problems(body)
    if problems:
        text = path.read_text(encoding="utf-8")
        # `body` is the file after its front matter, stripped: its first line is this line of the file.
        first_line = text.count("\n", 0, text.rindex(body.strip())) + 1
        for line, message in problems:
            reader.error(path, f"{item}, line {first_line + line - 1}", message)
    return not problems


def _files_digest(root):
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def new_guide_version(content):
    """A value no load wrote before: the digest of the files read, then a random part.

    Every content cache (rendered fragments, per-process structures) is keyed on it, so it must change
    on every load. A digest alone would not: loading A, then B, then A again brings A's digest back,
    and what was cached under it would be served though the rows changed since (a sentence dropped in
    B comes back in A under a new id). An unchanged reload only costs each cache one miss.
    """
    return f"{content.files_digest}-{secrets.token_hex(8)}"


def write_guide(content):
    """Store checked content, updating in place by slug and removing what the files no longer hold.

    Returns the guide's new version, written on every lesson and paper (their pages' cache key).
    """
    parts = {}
    for part in content.parts:
        parts[part["slug"]], _ = Part.objects.update_or_create(
            slug=part["slug"],
            defaults={
                "name": part["name"],
                "order": part["order"],
                "purpose_html": part["purpose_html"],
                "typical_sections": part["sections"],
            },
        )
    moves = {}
    for set_data in content.move_sets:
        move_set, _ = MoveSet.objects.update_or_create(
            slug=set_data["slug"],
            defaults={"name": set_data["name"], "description": set_data["description"], "order": set_data["order"]},
        )
        for move in set_data["moves"]:
            moves[set_data["slug"], move["slug"]], _ = Move.objects.update_or_create(
                move_set=move_set,
                slug=move["slug"],
                defaults={
                    "name": move["name"],
                    "short_name": move["short"],
                    "description_html": move["description_html"],
                    "order": move["order"],
                },
            )
        Move.objects.filter(move_set=move_set).exclude(slug__in=[m["slug"] for m in set_data["moves"]]).delete()
    excerpts = {}
    for paper_data in content.papers:
        paper, _ = Paper.objects.update_or_create(
            slug=paper_data["slug"],
            defaults={
                key: paper_data.get(key, "")
                for key in (
                    "title",
                    "short_name",
                    "venue",
                    "doi",
                    "arxiv_id",
                    "url",
                    "licence",
                    "citation",
                    "version_note",
                )
            }
            | {"authors": paper_data["authors"], "year": paper_data["year"], "order": paper_data["order"]},
        )
        sections = {}
        for section in paper_data["sections"]:
            sections[section["title"]], _ = Section.objects.update_or_create(
                paper=paper,
                title=section["title"],
                defaults={"number": section["number"], "part": parts[section["part"]], "order": section["order"]},
            )
        for excerpt_data in paper_data["excerpts"]:
            excerpt, _ = Excerpt.objects.update_or_create(
                slug=excerpt_data["slug"],
                defaults={
                    "paper": paper,
                    "section": sections[excerpt_data["section"]],
                    "move_set": MoveSet.objects.get(slug=excerpt_data["move_set"]),
                    "title": excerpt_data["title"],
                    "order": excerpt_data["order"],
                    "source": excerpt_data["text"],
                    "html": excerpt_data["html"],
                },
            )
            excerpt.annotations.all().delete()
            Annotation.objects.bulk_create(
                Annotation(
                    excerpt=excerpt,
                    quote=a["quote"],
                    prefix=a["prefix"],
                    note=a["note"],
                    order=a["order"],
                    move=moves[excerpt_data["move_set"], a["move"]],
                )
                for a in excerpt_data["annotations"]
            )
            excerpts[excerpt.slug] = excerpt
        Excerpt.objects.filter(paper=paper).exclude(slug__in=[e["slug"] for e in paper_data["excerpts"]]).delete()
        Section.objects.filter(paper=paper).exclude(title__in=list(sections)).delete()
    Paper.objects.exclude(slug__in=[p["slug"] for p in content.papers]).delete()
    # Lesson orders are unique: park existing ones out of the way before renumbering.
    Lesson.objects.update(order=F("order") + 10000)
    for lesson_data in content.lessons:
        lesson, _ = Lesson.objects.update_or_create(
            slug=lesson_data["slug"],
            defaults={
                "title": lesson_data["title"],
                "order": lesson_data["order"],
                "part": parts.get(lesson_data["part"]),
                "summary": lesson_data["summary"],
                "body": lesson_data["body"],
                "html": lesson_data["html"],
                "toc": lesson_data["toc"],
            },
        )
        lesson.lesson_excerpts.all().delete()
        LessonExcerpt.objects.bulk_create(
            LessonExcerpt(lesson=lesson, excerpt=excerpts[slug], order=order)
            for order, slug in enumerate(lesson_data["excerpts"], start=1)
        )
    Lesson.objects.exclude(slug__in=[lesson["slug"] for lesson in content.lessons]).delete()
    MoveSet.objects.exclude(slug__in=[s["slug"] for s in content.move_sets]).delete()
    Part.objects.exclude(slug__in=list(parts)).delete()
    version = new_guide_version(content)
    Lesson.objects.update(guide_version=version)
    Paper.objects.update(guide_version=version)
    return version
