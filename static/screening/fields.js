// What the patient's forms do with JavaScript, beyond followups.js:
// - after a failed submit, keyboards and screen readers start at the list of problems, and a
//   link of that list brings the question (its legend or label) into view with its field, not
//   the field alone at the top of the screen with its question out of sight above it;
// - a date of birth is shown back in words beside its boxes ("April 12, 1991") as soon as it is
//   whole and real, so that a day and a month typed the wrong way round are seen before moving
//   on. The server writes the same words into the page when it comes back (answer_types.py,
//   DateOfBirthWidget); the pattern and the month's name come from the page, in its language.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var field = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!field) { return; }
      event.preventDefault();
      var question = field.closest(".question") || field;
      question.scrollIntoView({ block: "start" });
      field.focus({ preventScroll: true });
    });
  }

  document.querySelectorAll(".date-parts[data-words-pattern]").forEach(function (parts) {
    var output = parts.querySelector(".date-in-words");
    var day = parts.querySelector('[name$="_day"]');
    var month = parts.querySelector('select[name$="_month"]');
    var year = parts.querySelector('[name$="_year"]');
    if (!output || !day || !month || !year) { return; }
    function words() {
      var d = day.value.trim(), m = month.value, y = year.value.trim();
      if (!/^\d{1,2}$/.test(d) || !m || !/^\d{4}$/.test(y)) { return ""; }
      var date = new Date(Date.UTC(+y, +m - 1, +d));
      if (date.getUTCDate() !== +d || date.getUTCMonth() !== +m - 1) { return ""; }
      return parts.getAttribute("data-words-pattern")
        .replace("%(month)s", month.options[month.selectedIndex].text)
        .replace("%(day)s", String(+d))
        .replace("%(year)s", y);
    }
    function update() {
      var text = words();
      if (output.textContent !== text) { output.textContent = text; }
    }
    parts.addEventListener("input", update);
    parts.addEventListener("change", update);
  });
})();
