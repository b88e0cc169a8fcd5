// Public pages give times in UTC, named; show them in the reader's own time zone, named too.
(function () {
  if (!window.Intl || !Intl.DateTimeFormat) return;
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!zone) return;
  var format;
  try {
    format = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
      day: "numeric", month: "long", year: "numeric",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: zone
    });
  } catch (error) {
    return;
  }
  var label = zone.replace(/_/g, " ");
  var times = document.querySelectorAll("time[data-local-time][datetime]");
  for (var i = 0; i < times.length; i++) {
    var when = new Date(times[i].getAttribute("datetime"));
    if (isNaN(when.getTime())) continue;
    times[i].title = times[i].textContent;
    times[i].textContent = format.format(when) + " (" + label + ")";
  }
})();
