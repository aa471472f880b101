"""The guide's content: the layout of a paper, the papers, their annotated excerpts, and lessons.

Everything here is loaded from `fixtures/` by `load_guide`; Markdown is rendered to sanitised
HTML at load time and pages read the stored HTML.
"""

from django.db import models

from lessons.links import link


class Part(models.Model):
    """A part of the layout of a paper (meta information, lead-in and background, ...)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField()
    purpose_html = models.TextField()
    typical_sections = models.JSONField(default=list)

    class Meta:
        ordering = ["order"]

    def __str__(self):
        return self.name


class MoveSet(models.Model):
    """A named set of rhetorical moves; annotations use it and exercises label with it."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    description = models.TextField()
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["order"]

    def __str__(self):
        return self.name


class Move(models.Model):
    """One rhetorical move: the job a sentence or span does (for example *the problem*)."""

    move_set = models.ForeignKey(MoveSet, on_delete=models.CASCADE, related_name="moves")
    slug = models.SlugField()
    name = models.CharField(max_length=100)
    # The name at a note's marker and in a move strip, where the full name does not fit.
    short_name = models.CharField(max_length=30, blank=True)
    description_html = models.TextField()
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["move_set__order", "order"]
        constraints = [models.UniqueConstraint(fields=["move_set", "slug"], name="unique_move_slug_per_set")]

    def __str__(self):
        return self.name


class Paper(models.Model):
    """A published paper the guide quotes, with everything needed to cite it."""

    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=300)
    authors = models.JSONField(default=list)
    short_name = models.CharField(max_length=100)
    venue = models.CharField(max_length=300)
    year = models.PositiveSmallIntegerField()
    doi = models.CharField(max_length=100, blank=True)
    arxiv_id = models.CharField(max_length=50, blank=True)
    url = models.URLField()
    licence = models.CharField(max_length=200)
    citation = models.TextField()
    version_note = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField()
    # The guide's version, new on every load (`lessons.loader.new_guide_version`): the page caches
    # its rendered body under it.
    guide_version = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["order"]

    def __str__(self):
        return self.short_name

    def get_absolute_url(self):
        return link("paper", self.slug)


class Section(models.Model):
    """A section of a paper, mapped onto a part of the layout."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="sections")
    number = models.CharField(max_length=20, blank=True)
    title = models.CharField(max_length=200)
    part = models.ForeignKey(Part, on_delete=models.PROTECT, related_name="sections")
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["paper__order", "order"]

    def __str__(self):
        return f"{self.number} {self.title}".strip()

    @property
    def depth(self):
        return self.number.count(".")


class ExcerptQuerySet(models.QuerySet):
    def for_display(self):
        """Excerpts with what their page shows: paper, section, part and move set."""
        return self.select_related("paper", "section__part", "move_set")


class Excerpt(models.Model):
    """A verbatim passage of one section of a paper, with its annotations rendered in."""

    slug = models.SlugField(unique=True)
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="excerpts")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="excerpts")
    move_set = models.ForeignKey(MoveSet, on_delete=models.PROTECT, related_name="excerpts")
    title = models.CharField(max_length=200, blank=True)
    order = models.PositiveSmallIntegerField()
    source = models.TextField(help_text="Markdown, quoted verbatim from the paper")
    html = models.TextField(help_text="Rendered and sanitised, with the annotations marked")

    objects = ExcerptQuerySet.as_manager()

    class Meta:
        ordering = ["paper__order", "order"]

    def __str__(self):
        return self.slug


class Annotation(models.Model):
    """A span of an excerpt, anchored by its exact quote (W3C TextQuoteSelector), and its move."""

    excerpt = models.ForeignKey(Excerpt, on_delete=models.CASCADE, related_name="annotations")
    quote = models.TextField()
    prefix = models.TextField(blank=True)
    move = models.ForeignKey(Move, on_delete=models.PROTECT, related_name="annotations")
    note = models.TextField()
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["excerpt", "order"]

    def __str__(self):
        return f"{self.move.slug}: {self.quote[:40]}"


class Lesson(models.Model):
    """A lesson of the guide, in our own words, teaching one part of the layout (or the whole)."""

    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(unique=True)
    part = models.ForeignKey(Part, on_delete=models.PROTECT, null=True, blank=True, related_name="lessons")
    summary = models.TextField()
    body = models.TextField(help_text="Markdown")
    html = models.TextField()
    # The body's headings ({"id", "title", "level"}), for the page's table of contents.
    toc = models.JSONField(default=list)
    excerpts = models.ManyToManyField(Excerpt, through="LessonExcerpt", related_name="lessons")
    # The guide's version, new on every load (`lessons.loader.new_guide_version`): the page caches
    # its rendered body under it.
    guide_version = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["order"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return link("lesson", self.slug)

    def excerpts_in_order(self):
        """The lesson's excerpts in the lesson's order, with what their display needs."""
        lesson_excerpts = self.lesson_excerpts.select_related("excerpt__paper", "excerpt__section", "excerpt__move_set")
        return [lesson_excerpt.excerpt for lesson_excerpt in lesson_excerpts]

    def previous(self):
        return Lesson.objects.filter(order__lt=self.order).order_by("-order").first()

    def following(self):
        return Lesson.objects.filter(order__gt=self.order).order_by("order").first()


class LessonExcerpt(models.Model):
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="lesson_excerpts")
    excerpt = models.ForeignKey(Excerpt, on_delete=models.CASCADE, related_name="+")
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["lesson", "order"]

    def __str__(self):
        return f"{self.lesson.slug}: {self.excerpt.slug}"
