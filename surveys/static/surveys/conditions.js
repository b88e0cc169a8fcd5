// Progressive enhancement of a survey form: questions and sections shown only for certain
// earlier answers are hidden until those answers are given. The server decides again on
// submit (a hidden question is never required and its answer is dropped), so without this
// script every question shows, with a note saying when to answer it.
(function () {
  "use strict";

  function valuesOf(container) {
    var values = [];
    container.querySelectorAll("input, select, textarea").forEach(function (input) {
      if (input.disabled) return;
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) return;
      if (input.value.trim() !== "") values.push(input.value.trim().toLowerCase());
    });
    return values;
  }

  function holds(element, answers) {
    var key = element.getAttribute("data-show-if-key");
    if (!key) return true;
    if (!(key in answers)) return false;
    var wanted = element.getAttribute("data-show-if-values").split(";").map(function (v) {
      return v.trim().toLowerCase();
    });
    return answers[key].some(function (value) { return wanted.indexOf(value) !== -1; });
  }

  function show(element, visible) {
    element.hidden = !visible;
    element.querySelectorAll("input, select, textarea").forEach(function (input) {
      input.disabled = !visible;
    });
  }

  function update(form) {
    var answers = {};
    form.querySelectorAll(".survey-section").forEach(function (section) {
      var sectionVisible = holds(section, answers);
      show(section, sectionVisible);
      if (!sectionVisible) return;
      section.querySelectorAll("[data-question]").forEach(function (question) {
        var visible = holds(question, answers);
        show(question, visible);
        if (visible) answers[question.getAttribute("data-question")] = valuesOf(question);
      });
    });
  }

  document.querySelectorAll("[data-survey-form]").forEach(function (form) {
    form.querySelectorAll(".survey-condition").forEach(function (note) { note.hidden = true; });
    form.addEventListener("change", function () { update(form); });
    form.addEventListener("input", function () { update(form); });
    update(form);
  });
})();
