"""Panels other apps add to a course's dashboard, so that courses imports none of them.

An app registers a function once, from its `AppConfig.ready()`: `function(course, user)` returns
`(template name, context)` for a panel to show on the dashboard of `course` as `user` sees it, or
None to show nothing. The dashboard's query count is pinned in its tests: a panel should read a
fixed number of rows (one query, ideally), whatever the size of the class.
"""

from django.template.loader import render_to_string

_registered = []


def register(panel):
    """Show `panel` on every course's dashboard, after those registered before it (once, however
    often the registering app is readied)."""
    if panel not in _registered:
        _registered.append(panel)
    return panel


def render_panels(course, request):
    """The registered panels of `course` for `request.user`, rendered to HTML, in the order registered."""
    rendered = []
    for panel in _registered:
        shown = panel(course, request.user)
        if shown is not None:
            template_name, context = shown
            rendered.append(render_to_string(template_name, context, request=request))
    return rendered
