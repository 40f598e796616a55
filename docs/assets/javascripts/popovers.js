// Popovers of the book's computed numbers (.ce-value): CSS shows them on hover and keyboard
// focus; this adds a tap (touch screens have no hover) and Escape to close.
(function () {
  "use strict";
  function closeAll(except) {
    document.querySelectorAll(".ce-value.ce-open").forEach(function (el) {
      if (el !== except) el.classList.remove("ce-open");
    });
  }
  document.addEventListener("click", function (event) {
    const value = event.target.closest && event.target.closest(".ce-value");
    if (value && !event.target.closest(".ce-pop a")) {
      value.classList.toggle("ce-open");
    }
    closeAll(value);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      closeAll(null);
      if (document.activeElement && document.activeElement.closest(".ce-value")) {
        document.activeElement.blur();
      }
    }
  });
})();
