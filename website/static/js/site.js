// Small enhancements only: every page works without this file.
document.documentElement.classList.add("js");

// After a failed submit, the error summary takes the focus, and each of its links moves the
// focus to its field (opening the list of choices it sits in).
const errorSummary = document.querySelector("[data-error-summary]");
if (errorSummary) {
  errorSummary.focus();
  errorSummary.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    const target = link && document.getElementById(link.hash.slice(1));
    if (!target) return;
    event.preventDefault();
    const choices = target.closest("details");
    if (choices) choices.open = true;
    target.focus();
    history.replaceState(null, "", link.hash);
  });
}
