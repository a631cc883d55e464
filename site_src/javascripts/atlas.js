// Statement tooltips show on hover and keyboard focus through CSS alone. This small script adds
// what CSS cannot: Escape hides the open tooltip without moving the pointer or the focus
// (WCAG 1.4.13), and it comes back once the pointer or focus has left the statement; and an
// open tooltip is kept inside the window.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll(".atlas-st:hover, .atlas-st:focus-within").forEach(function (el) {
      el.classList.add("atlas-tip-dismissed");
    });
  });
  ["mouseout", "focusout"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var target = event.target;
      var statement = target && target.closest ? target.closest(".atlas-tip-dismissed") : null;
      if (!statement) return;
      window.setTimeout(function () {
        if (!statement.matches(":hover, :focus-within")) statement.classList.remove("atlas-tip-dismissed");
      }, 0);
    });
  });

  // A tooltip opens under the start of its statement, so near the right edge of the text, or on
  // a narrow screen, it would run out of the window and be cut off. When it opens (hover or
  // focus, on the statement or anything inside it), shift it back inside the window.
  var MARGIN = 8;
  function place(statement) {
    var tip = statement.querySelector(":scope > .atlas-tip");
    if (!tip) return;
    tip.style.left = "";
    var rect = tip.getBoundingClientRect();
    if (!rect.width) return; // not open
    var shift = Math.min(0, document.documentElement.clientWidth - MARGIN - rect.right);
    shift = Math.max(shift, MARGIN - rect.left);
    if (shift) tip.style.left = shift + "px";
  }
  ["mouseover", "focusin"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var target = event.target;
      var statement = target && target.closest ? target.closest(".atlas-st") : null;
      for (; statement; statement = statement.parentElement.closest(".atlas-st")) place(statement);
    });
  });
})();
