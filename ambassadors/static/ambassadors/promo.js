// Copy buttons of the promotional page: shown only where the browser can copy to the clipboard.
(function () {
  if (!navigator.clipboard) { return; }
  document.querySelectorAll(".promo__copy").forEach(function (button) {
    var source = document.getElementById(button.dataset.copyTarget);
    if (!source) { return; }
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.value).then(function () {
        button.textContent = button.dataset.copiedLabel;
        window.setTimeout(function () { button.textContent = label; }, 2000);
      });
    });
  });
})();
