"""`{% repeat_block "description" %}`: a block of the page rendered a second time.

Django lets a block appear once in a template, and the page's title and description each appear
twice in the head (for browsers and search engines, and again for link previews).
"""

from django import template
from django.template.loader_tags import BLOCK_CONTEXT_KEY, BlockNode

register = template.Library()


@register.simple_tag(takes_context=True)
def repeat_block(context, name):
    """The block `name` as the page defines it (the most derived template's version, else the base's)."""
    block_context = context.render_context.get(BLOCK_CONTEXT_KEY)
    if block_context is not None:
        block = block_context.get_block(name)
    else:  # the template was rendered without {% extends %}
        block = next(
            (node for node in context.template.nodelist.get_nodes_by_type(BlockNode) if node.name == name), None
        )
    if block is None:
        return ""
    # Rendered as Django renders a block, so {{ block.super }} and autoescaping work the same.
    return block.render(context)
