/* wagtail-localize's "translate this page" form: the "select all" box ticks every language. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var selectAll = document.querySelector('[name="select_all"]');
  var locales = document.querySelectorAll('[name="locales"]');
  if (!selectAll) {
    return;
  }
  selectAll.addEventListener("change", function () {
    locales.forEach(function (locale) {
      locale.checked = selectAll.checked;
    });
  });
});
