/* Allele: progressive enhancement only. Every action also works as a plain form POST. */
(function () {
  "use strict";
  // Move focus to the first error summary so screen-reader users hear what went wrong.
  document.addEventListener("DOMContentLoaded", function () {
    var error = document.querySelector("[data-focus-on-load]");
    if (error) { error.focus(); }
  });
})();
