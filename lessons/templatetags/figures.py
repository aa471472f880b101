"""Figures in pages: `{% layout_figure parts "home" %}`, `{% paper_layout_figure groups paper "paper" %}`
and `{% with_figures lesson.html parts %}` (a lesson's text with the figures it places).

The drawings are placed by `lessons.figures` from data the page has already read: no query of their own.
"""

from django import template

from lessons.figures import insert_figures, layout_drawing, paper_layout_drawing

register = template.Library()


@register.inclusion_tag("figures/layout.svg.html")
def layout_figure(parts, prefix, listed=True):
    """The layout drawn from the Part rows; `listed`: the page lists the parts in words after it."""
    return {"drawing": layout_drawing(parts, listed=listed), "prefix": prefix}


@register.inclusion_tag("figures/layout.svg.html")
def paper_layout_figure(groups, paper, prefix):
    """One paper's layout, its sections placed in their parts; `groups` as the paper page reads them."""
    return {"drawing": paper_layout_drawing(groups, paper), "prefix": prefix}


@register.simple_tag
def with_figures(html, parts=()):
    """A lesson's stored HTML with each `[[figure:NAME]]` paragraph replaced by that figure."""
    return insert_figures(html, parts)
