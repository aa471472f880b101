// An htmx request that fails (a 4xx other than 400, a 5xx, or no answer at all) leaves the page as
// it was and says so in the alert that base.html holds, instead of failing silently.
document.addEventListener("DOMContentLoaded", function () {
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
});
