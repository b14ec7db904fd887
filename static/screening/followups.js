// Shows a follow-up question only when its condition holds. The server renders the page in the
// state its answers call for (class "js-hidden" on what does not apply), so this script only
// reacts to changes and nothing moves when it starts. Without JavaScript, the follow-ups that
// come to apply are asked on a next page of the step (screening/patient/views.py), and the server
// drops answers to questions that don't apply.
(function () {
  "use strict";
  var HIDDEN = "js-hidden";
  var form = document.querySelector("form.step-form");
  if (!form) { return; }
  // Follow-ups open in place here: the server asks none of them on a next page of the step.
  if (form.elements.js) { form.elements.js.value = "1"; }

  // The answers of a question whose own wrapper is hidden (a follow-up that no longer applies)
  // count as none, as on the server: a nested follow-up closes with its parent.
  function currentValues(name) {
    var wrapper = document.getElementById("div_id_" + name);
    if (wrapper && wrapper.classList.contains(HIDDEN)) { return []; }
    var values = [];
    form.querySelectorAll('[name="' + name + '"]').forEach(function (input) {
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

  // In page order, so that a parent is decided before the follow-ups it opens.
  var followups = Array.prototype.slice.call(form.querySelectorAll("[data-show-if]"));
  var groups = Array.prototype.slice.call(form.querySelectorAll(".followup-group"));
  // A question answered from earlier picks ("Which one bothers you most?") offers only those.
  var narrowed = Array.prototype.slice.call(form.querySelectorAll("[data-among]"));
  function update() {
    followups.forEach(function (wrapper) {
      wrapper.classList.toggle(HIDDEN, !holds(JSON.parse(wrapper.getAttribute("data-show-if"))));
    });
    groups.forEach(function (group) {
      group.classList.toggle(HIDDEN, !group.querySelector(".followup:not(." + HIDDEN + ")"));
    });
    narrowed.forEach(function (wrapper) {
      var picked = currentValues(wrapper.getAttribute("data-among"));
      wrapper.querySelectorAll("input").forEach(function (input) {
        input.closest(".form-check").classList.toggle(HIDDEN, picked.indexOf(input.value) === -1);
      });
    });
  }
  form.addEventListener("change", update);
  form.addEventListener("input", update);
  // A browser that restored the form's state (back button, reload) may differ from the server's.
  update();
})();
