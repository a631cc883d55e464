// Statement tooltips show on hover and keyboard focus through CSS alone. This small script adds
// what CSS cannot: Escape hides the open tooltip without moving the pointer or the focus
// (WCAG 1.4.13), and it comes back once the pointer or focus has left the statement.
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
})();
