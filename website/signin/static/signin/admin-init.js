/*
 * Starts the Wagtail admin widgets whose templates would otherwise carry an inline script
 * (date and time choosers, inline panels), so that the admin's Content-Security-Policy can
 * refuse every inline script. Each widget leaves a JSON block:
 *   <script type="application/json" data-signin-init="initDateChooser"
 *           data-signin-args="[...arguments as JSON]"></script>
 * (with data-signin-construct: `new InlinePanel(...args)`). Blocks are started as the page is
 * parsed and whenever Wagtail inserts more HTML (modals, new panel forms, StreamField blocks).
 */
(function () {
  "use strict";

  function start(block) {
    if (block.dataset.signinStarted) {
      return;
    }
    var name = block.dataset.signinInit;
    var target = window[name];
    if (typeof target !== "function") {
      return;
    }
    block.dataset.signinStarted = "true";
    var args = JSON.parse(block.dataset.signinArgs);
    if (block.hasAttribute("data-signin-construct")) {
      new (Function.prototype.bind.apply(target, [null].concat(args)))();
    } else {
      target.apply(window, args);
    }
  }

  function startAll(root) {
    if (root.matches && root.matches("script[data-signin-init]")) {
      start(root);
    }
    if (root.querySelectorAll) {
      root.querySelectorAll("script[data-signin-init]").forEach(start);
    }
  }

  /* wagtail-localize's translation editor reads the chooser addresses from a global. */
  window.signinSetChooserUrls = function (urls) {
    if (typeof window.chooserUrls === "undefined") {
      window.chooserUrls = urls;
    }
  };

  new MutationObserver(function (mutations) {
    mutations.forEach(function (mutation) {
      mutation.addedNodes.forEach(startAll);
    });
  }).observe(document.documentElement, { childList: true, subtree: true });

  document.addEventListener("DOMContentLoaded", function () {
    startAll(document);
  });
})();
