/* Draw the Vega-Lite specs embedded in the page (#chart-specs) into [data-chart] elements,
   with the vendored vega-embed and the report's embed options (number locale etc.).
   ast: Vega evaluates its expressions with its interpreter, not new Function(): the pages'
   Content-Security-Policy has no 'unsafe-eval' (sanitasi.web.csp). */
(function () {
  function draw() {
    var el = document.getElementById("chart-specs");
    if (!el || typeof vegaEmbed !== "function") return;
    var payload = JSON.parse(el.textContent);
    document.querySelectorAll("[data-chart]").forEach(function (target) {
      var spec = payload.specs[target.getAttribute("data-chart")];
      if (!spec || target.dataset.drawn) return;
      target.dataset.drawn = "1";
      var options = Object.assign({ ast: true }, payload.options);
      vegaEmbed(target, spec, options).catch(function (err) {
        target.textContent = String(err);
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
