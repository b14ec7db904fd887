// Warns five minutes before an idle page closes, and keeps it open on request. Without
// JavaScript the page says in words how long it stays open (templates/screening/includes/saved_note.html).
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

  function arm() {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      warning.hidden = false;
      stay.focus();
    }, (minutes - warnBefore) * 60 * 1000);
  }

  stay.addEventListener("click", function () {
    window.fetch(url, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
      if (response.status === 410) { window.location.reload(); return; }
      warning.hidden = true;
      arm();
    });
  });
  arm();
}());
