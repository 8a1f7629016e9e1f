// After a refused send, move focus to what went wrong, so a screen reader reads it first and
// a keyboard user starts from there.
(function () {
  "use strict";
  var target = document.querySelector("[data-focus-on-load]");
  if (target) target.focus();
})();
