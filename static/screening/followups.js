// Shows a follow-up question only when its condition holds. Without JavaScript every follow-up is
// shown with its condition in words, and the server drops answers to questions that don't apply.
(function () {
  "use strict";
  // After a failed submit, screen readers and keyboards start at the list of problems.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }

  var form = document.querySelector("form.step-form");
  if (!form) { return; }

  function currentValues(name) {
    var inputs = form.querySelectorAll('[name="' + name + '"]');
    var values = [];
    inputs.forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) { return; }
      values.push(input.value);
    });
    return values;
  }

  function holds(condition) {
    var values = currentValues(condition.question);
    if (condition.op === "picked_more_than_one") { return values.length > 1; }
    return values.some(function (value) { return condition.values.indexOf(value) !== -1; });
  }

  var followups = Array.prototype.slice.call(form.querySelectorAll("[data-show-if]"));
  // A question answered from earlier picks ("Which one bothers you most?") offers only those.
  var narrowed = Array.prototype.slice.call(form.querySelectorAll("[data-among]"));
  function update() {
    followups.forEach(function (wrapper) {
      wrapper.hidden = !holds(JSON.parse(wrapper.getAttribute("data-show-if")));
    });
    narrowed.forEach(function (wrapper) {
      var picked = currentValues(wrapper.getAttribute("data-among"));
      wrapper.querySelectorAll("input").forEach(function (input) {
        input.closest(".form-check").hidden = picked.indexOf(input.value) === -1;
      });
    });
  }
  form.addEventListener("change", update);
  form.addEventListener("input", update);
  update();
  // The condition in words is for readers without JavaScript; here the question appears only
  // when it applies, so the words would repeat what the page already does.
  followups.forEach(function (wrapper) {
    wrapper.querySelectorAll(".condition-text").forEach(function (text) { text.hidden = true; });
  });
})();
