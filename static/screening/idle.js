// Warns five minutes before an idle page closes, and keeps it open on request. Typing, ticking
// and tapping on the page are activity too: they keep the page open (the server hears of it at
// most once a minute) and put the warning away. The warning is announced (role="alert") but
// never takes the focus: a patient typing goes on typing where they are. Without JavaScript the
// page says in words how long it stays open (templates/screening/includes/saved_note.html).
(function () {
  "use strict";
  var note = document.getElementById("saved-note");
  var warning = document.getElementById("idle-warning");
  var stay = document.getElementById("idle-stay");
  if (!note || !warning || !stay) { return; }
  var minutes = parseInt(note.getAttribute("data-idle-minutes"), 10);
  var url = note.getAttribute("data-still-here-url");
  var warnBefore = 5;
  if (!(minutes > warnBefore)) { return; }
  var timer = null;
  var lastPing = Date.now();  // the page's own request counted as activity on the server

  function arm() {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      warning.hidden = false;
    }, (minutes - warnBefore) * 60 * 1000);
  }

  function stillHere() {
    lastPing = Date.now();
    return window.fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.status === 410) { window.location.reload(); return false; }
        return true;
      });
  }

  function active() {
    arm();
    warning.hidden = true;
    if (Date.now() - lastPing > 60 * 1000) { stillHere(); }
  }

  stay.addEventListener("click", function (event) {
    event.stopPropagation();
    stillHere().then(function (open) {
      if (open) { warning.hidden = true; arm(); }
    });
  });
  ["keydown", "input", "change", "pointerdown"].forEach(function (type) {
    document.addEventListener(type, active, true);
  });
  arm();
}());
