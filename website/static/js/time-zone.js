// Fill the time-zone field from the browser when the visitor has not chosen one yet.
(function () {
  var select = document.getElementById("id_time_zone");
  if (!select || select.dataset.touched || !window.Intl) return;
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!zone || select.value !== "UTC") return;
  for (var i = 0; i < select.options.length; i++) {
    if (select.options[i].value === zone) { select.value = zone; return; }
  }
})();
