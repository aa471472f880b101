"""Every vector of the XSS corpus, loaded through the real loader and shown in Chromium.

Each page is opened twice: as served (with the Content Security Policy) and with the CSP
bypassed, so that the sanitiser alone has to stop every vector. A vector "runs" when it sets
window.__xss, opens a dialog, or makes the browser ask another host for anything.
"""

from urllib.parse import urlsplit

import pytest
from django.test import Client

from exercises.loader import load_guide
from exercises.models import Exercise
from writing_guide.tests.xss_corpus import EXERCISE_SLUG, PAPER_SLUG, lesson_slug, load_vectors, write_hostile_guide

pytestmark = pytest.mark.browser

# Fire every handler a vector might have hidden on an element, then report what is left that
# should not be: attributes and elements outside the allow-list, and links off the allowed schemes.
PROBE = r"""() => {
  const OUR_CLASSES = ['margin-note','move-name','signal','note-marker','marker-move','note-number','note-text',
    'note-toggle','is-lit','is-closed'];
  const containers = [...document.querySelectorAll('[hx-disable]')];
  const bad = [];
  const forbiddenTags = new Set(['SCRIPT','IFRAME','OBJECT','EMBED','IMG','FORM','INPUT','BUTTON','STYLE',
    'LINK','META','BASE','svg','TEMPLATE','VIDEO','AUDIO','SOURCE','DETAILS','TEXTAREA','SELECT','PORTAL']);
  for (const container of containers) {
    for (const el of container.querySelectorAll('*')) {
      for (const type of ['mouseover','mouseenter','focus','click','animationstart','toggle','load','error']) {
        if (type === 'click' && el.tagName === 'A') continue;
        el.dispatchEvent(new Event(type, {bubbles: true}));
      }
      if (forbiddenTags.has(el.tagName)) bad.push('tag ' + el.tagName);
      for (const attr of el.attributes) {
        const name = attr.name.toLowerCase();
        // What lessons/markdown.py and static/site.js add themselves around the sanitised text.
        const ours = (name === 'class' && attr.value.split(/\s+/).every(c => OUR_CLASSES.includes(c)))
          || ['data-move', 'data-note', 'data-note-for'].includes(name)
          || (name === 'id' && /^(mark|note|note-text)-\d+$|^s-[a-z0-9_-]+$/.test(attr.value))
          || (name === 'style' && el.classList.contains('margin-note'))
          || (name === 'tabindex' && el.tagName.toLowerCase() === 'math' && attr.value === '0')
          || (el.matches('.note-toggle, .note-marker, .note-number')
              && ['aria-label','aria-controls','aria-expanded','type'].includes(name));
        if (!ours && (name.startsWith('on') || name.startsWith('hx-') || name.startsWith('data-')
            || ['style','id','name','class','src','srcdoc','formaction','action','autofocus','tabindex',
                'xlink:href','background'].includes(name))) {
          bad.push(el.tagName + '[' + name + ']');
        }
      }
      if (el.tagName === 'A' && el.hasAttribute('href')
          && !['http:','https:','mailto:'].includes(new URL(el.href, location.href).protocol)) {
        bad.push('link to ' + el.getAttribute('href'));
      }
    }
  }
  return {bad, xss: window.__xss === undefined ? null : String(window.__xss), containers: containers.length};
}"""


@pytest.fixture
def hostile_guide(tmp_path, guide):
    # Loaded over the guide the conftest puts back before each test: the same content, plus the vectors.
    vectors = load_vectors()
    load_guide(write_hostile_guide(tmp_path / "fixtures", vectors))
    return vectors


def test_no_vector_runs_a_script_opens_a_dialog_or_calls_another_host(
    live_server, hostile_guide, make, browser, record_property
):
    vectors = hostile_guide
    record_property("vectors", len(vectors))
    assert len(vectors) >= 50
    reader = make.user("reader")
    attempt = make.attempt(make.learner(reader), Exercise.objects.get(slug=EXERCISE_SLUG), right=False)
    client = Client()
    client.force_login(reader)
    pages = {f"/lessons/{lesson_slug(index)}/": vector["name"] for index, vector in enumerate(vectors)}
    pages |= {
        f"/papers/{PAPER_SLUG}/": "every excerpt",
        f"/exercises/{EXERCISE_SLUG}/": "exercise instructions",
        attempt.get_absolute_url(): "exercise explanations",
    }
    own_host = urlsplit(live_server.url).netloc
    executed, checked = [], 0
    # With the Content-Security-Policy bypassed, so that the sanitiser alone is on trial: a policy can
    # only take abilities away, so what runs nowhere here runs nowhere with it (its header is tested
    # in writing_guide's tests). One pass, not two: the vectors are the slowest browser test.
    context = browser.new_context(bypass_csp=True)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    dialogs, foreign = [], []

    def route(route, foreign=foreign):
        if urlsplit(route.request.url).netloc != own_host:
            foreign.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", route)
    page = context.new_page()
    page.on("dialog", lambda dialog, dialogs=dialogs: (dialogs.append(dialog.message), dialog.dismiss()))
    for path, name in pages.items():
        dialogs.clear()
        foreign.clear()
        response = page.goto(live_server.url + path, wait_until="load")
        assert response.status == 200, (path, response.status)
        result = page.evaluate(PROBE)
        page.wait_for_timeout(100)  # let timers, animations and late loads fire
        result["xss"] = result["xss"] or page.evaluate("window.__xss === undefined ? null : 1")
        checked += 1
        assert result["containers"] >= 1, f"{path}: no hx-disable wrapper around the rendered content"
        if result["xss"] or dialogs or foreign or result["bad"] or len(context.pages) > 1:
            executed.append((name, result, list(dialogs), list(foreign)))
    context.close()
    assert executed == [], executed
    assert checked == len(pages)

    # The probe itself must notice a vector that does run (a positive control).
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    control_dialogs = []
    page.on("dialog", lambda dialog: (control_dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(live_server.url + f"/lessons/{lesson_slug(0)}/")
    page.evaluate(
        "document.querySelector('[hx-disable]').innerHTML = "
        '\'<img src=x onerror="window.__xss=1; alert(2)"><a onmouseover="window.__xss=2">x</a>\''
    )
    page.wait_for_function("window.__xss === 1")
    assert control_dialogs == ["2"]
    assert page.evaluate(PROBE)["bad"]
    context.close()
