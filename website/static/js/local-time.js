// Public pages give times in UTC, named; show them in the reader's own time zone, named too,
// in the server's layout ("19 December 2026, 00:14 (Asia/Kolkata)").
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
  if (!format.formatToParts) return;
  var label = zone.replace(/_/g, " ");
  var times = document.querySelectorAll("time[data-local-time][datetime]");
  for (var i = 0; i < times.length; i++) {
    var when = new Date(times[i].getAttribute("datetime"));
    if (isNaN(when.getTime())) continue;
    var part = {};
    format.formatToParts(when).forEach(function (p) { part[p.type] = p.value; });
    times[i].title = times[i].textContent;
    times[i].textContent = part.day + " " + part.month + " " + part.year + ", " +
      part.hour + ":" + part.minute + " (" + label + ")";
  }
})();
