// Shows a date of birth back in words beside its boxes ("April 12, 1991") as soon as it is
// whole and real, so that a day and a month typed the wrong way round are seen before moving on.
// The server writes the same words into the page when it comes back (answer_types.py,
// DateOfBirthWidget); the pattern and the month's name come from the page, in its language.
(function () {
  "use strict";
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
