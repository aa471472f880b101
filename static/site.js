// The site's one script of its own (besides htmx). Every page works without it; it adds:
// 1. an alert when an htmx request fails, 2. "Tick all" / "None" in place on the assignments page,
// 3. on annotated excerpts: notes level with their highlights on wide screens, highlight and note
//    lit up together, and notes that open and close on narrow screens.
(function () {
  "use strict";

  // 1. An htmx request that fails (a 4xx other than 400, a 5xx, or no answer at all) leaves the page
  // as it was and says so in the alert that base.html holds, instead of failing silently.
  function watchRequests() {
    const alert = document.getElementById("request-failed");
    if (!alert) return;
    const status = alert.querySelector("[data-status]");
    function show(event) {
      const xhr = event.detail.xhr;
      status.textContent = xhr && xhr.status ? " (" + xhr.status + (xhr.status === 429 ? ", too many requests" : "") + ")" : "";
      alert.hidden = false;
      alert.focus();
    }
    document.body.addEventListener("htmx:responseError", show);
    document.body.addEventListener("htmx:sendError", show);
    document.body.addEventListener("htmx:beforeRequest", function () { alert.hidden = true; });
  }

  // 2. The assignments page: without this script the same buttons post the form and the page comes
  // back ticked, so both ways need no other step.
  document.addEventListener("click", function (event) {
    const button = event.target.closest("button[data-select]");
    if (!button) return;
    event.preventDefault();
    const tick = button.dataset.select === "all";
    for (const box of button.form.querySelectorAll('.assignment-list input[type="checkbox"]')) {
      box.checked = tick;
    }
  });

  // 3. Annotated excerpts. The markup (lessons/markdown.py) puts each note after the sentence it
  // explains; here it is placed level with its highlight in the margin when there is room.
  const wide = window.matchMedia("(min-width: 72rem)");
  const GAP = 8;

  function notesOf(quote) { return Array.from(quote.querySelectorAll(".margin-note[data-note-for]")); }
  function markOf(note) { return document.querySelector('mark[data-note="' + note.dataset.noteFor + '"]'); }

  function placeNotes() {
    for (const quote of document.querySelectorAll(".quoted")) {
      const notes = notesOf(quote);
      quote.style.minHeight = "";
      for (const note of notes) note.style.top = "";
      if (!wide.matches || !notes.length) continue;
      const origin = quote.getBoundingClientRect().top;
      let floor = 0;
      for (const note of notes) {
        const mark = markOf(note);
        if (!mark) continue;
        // Level with the first line of its highlight, or just below the note before it.
        const top = Math.max(mark.getBoundingClientRect().top - origin, floor);
        note.style.top = top + "px";
        floor = top + note.offsetHeight + GAP;
      }
      if (floor > quote.offsetHeight) quote.style.minHeight = floor + "px";
    }
  }

  function light(number, on) {
    for (const element of document.querySelectorAll('[data-note="' + number + '"], [data-note-for="' + number + '"], .note-marker[href="#note-' + number + '"]')) {
      element.classList.toggle("is-lit", on);
    }
  }

  function numberFrom(target) {
    const holder = target.closest && target.closest("[data-note], [data-note-for], .note-marker");
    if (!holder) return null;
    if (holder.dataset.note) return holder.dataset.note;
    if (holder.dataset.noteFor) return holder.dataset.noteFor;
    return holder.getAttribute("href").replace("#note-", "");
  }

  function linkHighlights() {
    for (const [enter, leave] of [["mouseover", "mouseout"], ["focusin", "focusout"]]) {
      document.addEventListener(enter, function (event) {
        const number = numberFrom(event.target);
        if (number) light(number, true);
      });
      document.addEventListener(leave, function (event) {
        const number = numberFrom(event.target);
        if (number) light(number, false);
      });
    }
  }

  // Narrow screens: each note is a disclosure under its sentence (its move's name is the button);
  // one button opens or closes all. Wide screens show every note in the margin, no buttons.
  function setOpen(note, open) {
    const button = note.querySelector(".note-toggle");
    if (button) button.setAttribute("aria-expanded", String(open));
    note.classList.toggle("is-closed", !open);
  }

  function disclose(note, on) {
    const button = note.querySelector(".note-toggle");
    const text = note.querySelector(".note-text");
    if (on && !button) {
      const name = note.querySelector(".move-name");
      const toggle = document.createElement("button");
      toggle.type = "button";
      toggle.className = "note-toggle";
      text.id = "note-text-" + note.dataset.noteFor;
      toggle.setAttribute("aria-controls", text.id);
      name.replaceWith(toggle);
      toggle.appendChild(name);
    } else if (!on && button) {
      button.replaceWith(button.firstChild);
    }
  }

  function makeDisclosures() {
    const notes = Array.from(document.querySelectorAll(".margin-note[data-note-for]"));
    const all = document.querySelector("[data-notes-toggle]");
    function syncAll() {
      if (all) all.textContent = document.querySelector(".margin-note.is-closed") ? "Open all notes" : "Close all notes";
    }
    function fit() {
      // Closed at first on a narrow screen, where an open note stands between two sentences.
      for (const note of notes) { disclose(note, !wide.matches); setOpen(note, wide.matches); }
      if (all) all.hidden = wide.matches;
      syncAll();
      placeNotes();
    }
    document.addEventListener("click", function (event) {
      const toggle = event.target.closest(".note-toggle");
      const marker = event.target.closest(".note-marker");
      if (toggle) {
        setOpen(toggle.closest(".margin-note"), toggle.getAttribute("aria-expanded") !== "true");
      } else if (marker) {
        // Following a marker's link opens its note.
        const note = document.getElementById(marker.getAttribute("href").slice(1));
        if (note) setOpen(note, true);
      } else if (all && event.target === all) {
        const open = Boolean(document.querySelector(".margin-note.is-closed"));
        for (const note of notes) setOpen(note, open);
      } else {
        return;
      }
      syncAll();
    });
    wide.addEventListener("change", fit);
    fit();
  }

  // A formula wider than the column scrolls by itself, and so does a body of Markdown holding a
  // wide table or line: a keyboard reaches each to scroll it (a lesson's body may have no link).
  function reachWideFormulas() {
    for (const formula of document.querySelectorAll('.quoted math[display="block"], div.prose')) {
      if (formula.scrollWidth > formula.clientWidth + 1) {
        formula.setAttribute("tabindex", "0");
      } else {
        formula.removeAttribute("tabindex");
      }
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    watchRequests();
    reachWideFormulas();
    window.addEventListener("resize", reachWideFormulas);
    document.body.addEventListener("htmx:afterSettle", reachWideFormulas);
    if (!document.querySelector(".margin-note[data-note-for]")) return;
    document.documentElement.classList.add("notes-placed");
    makeDisclosures();
    linkHighlights();
    placeNotes();
    window.addEventListener("resize", placeNotes);
    window.addEventListener("load", placeNotes);
    if (document.fonts && document.fonts.ready) document.fonts.ready.then(placeNotes);
  });
})();
