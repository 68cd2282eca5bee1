/* Collapsible navigation on narrow screens (issue 11 item 9). Loaded in <head> without
   defer so that the "js" class is on <html> before the first paint: below 40rem site.css
   folds every [data-collapsible] part (the header's links and tools, the city pages) until
   its .nav-toggle button adds "expanded"; without JavaScript everything stays open, and on
   a wide screen the buttons are hidden and nothing is folded. */
(function () {
  document.documentElement.classList.add("js");
  var narrow = window.matchMedia("(max-width: 40rem)");

  function buttons() {
    return document.querySelectorAll(".nav-toggle[aria-controls]");
  }
  function target(button) {
    return document.getElementById(button.getAttribute("aria-controls"));
  }
  function show(button, open) {
    var part = target(button);
    if (!part) return;
    button.setAttribute("aria-expanded", open ? "true" : "false");
    part.classList.toggle("expanded", open);
  }
  function setUp() {
    buttons().forEach(function (button) {
      if (button.dataset.ready) return;
      button.dataset.ready = "1";
      show(button, !narrow.matches);
      button.addEventListener("click", function () {
        show(button, button.getAttribute("aria-expanded") !== "true");
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
  // a phone turned sideways: open on a wide screen, folded again on a narrow one
  narrow.addEventListener("change", function () {
    buttons().forEach(function (button) {
      show(button, !narrow.matches);
    });
  });
  // HTMX may swap in a page part with its own navigation
  document.addEventListener("htmx:afterSettle", setUp);
})();
