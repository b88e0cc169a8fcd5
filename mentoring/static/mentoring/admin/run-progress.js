// Live progress of a matching run or its approval: polls the run's progress URL and reloads when it ends.
(function () {
  var section = document.getElementById("run-progress");
  if (!section) return;
  var bar = document.getElementById("run-progress-bar");
  var message = document.getElementById("run-progress-message");
  function poll() {
    fetch(section.dataset.progressUrl, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        bar.value = data.progress;
        bar.textContent = Math.round(data.progress * 100) + "%";
        if (data.message) message.textContent = data.message;
        if (data.status === "queued" || data.status === "running" || data.status === "approving") {
          window.setTimeout(poll, 1000);
        } else {
          window.location.reload();
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
