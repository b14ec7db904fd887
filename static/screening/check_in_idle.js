// The check-in tablet closes itself when left alone (SCREENING_CHECK_IN_IDLE_MINUTES): a minute
// before, it warns (announced, role="alert", never taking the focus) with a button to stay; any
// typing, ticking or tapping counts as activity (the server hears of it at most every 20
// seconds, so that its own idle limit follows); then it goes to the closing page ("Please hand
// the tablet back"), whose session shows no answer any more. Without JavaScript a <noscript>
// meta refresh in the page's head does the closing (templates/screening/check_in/base.html).
(function () {
  "use strict";
  var note = document.getElementById("check-in-idle");
  var warning = document.getElementById("check-in-idle-warning");
  var stay = document.getElementById("check-in-idle-stay");
  if (!note || !warning || !stay) { return; }
  var seconds = parseInt(note.getAttribute("data-idle-seconds"), 10);
  var pingUrl = note.getAttribute("data-still-here-url");
  var closedUrl = note.getAttribute("data-closed-url");
  if (!(seconds > 0)) { return; }
  var warnBefore = Math.min(60, Math.floor(seconds / 2));
  var warnTimer = null;
  var closeTimer = null;
  var lastPing = Date.now();

  function close() { window.location.assign(closedUrl); }

  function arm() {
    window.clearTimeout(warnTimer);
    window.clearTimeout(closeTimer);
    warnTimer = window.setTimeout(function () { warning.hidden = false; }, (seconds - warnBefore) * 1000);
    closeTimer = window.setTimeout(close, seconds * 1000);
  }

  function ping() {
    lastPing = Date.now();
    return window.fetch(pingUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.status !== 204) { close(); return false; }
        return true;
      });
  }

  function active() {
    warning.hidden = true;
    arm();
    if (Date.now() - lastPing > 20 * 1000) { ping(); }
  }

  stay.addEventListener("click", function (event) {
    event.stopPropagation();
    ping().then(function (open) { if (open) { warning.hidden = true; arm(); } });
  });
  ["keydown", "input", "change", "pointerdown"].forEach(function (type) {
    document.addEventListener(type, active, true);
  });
  arm();
}());
