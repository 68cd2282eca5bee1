/* Draw the Vega-Lite specs embedded in the page (#chart-specs) into [data-chart] elements,
   with the vendored vega-embed and the report's embed options (number locale etc.).
   ast: Vega evaluates its expressions with its interpreter, not new Function(): the pages'
   Content-Security-Policy has no 'unsafe-eval' (sanitasi.web.csp).

   A chart wider than its box (a phone, 390 px) is drawn again fitted to the box (issue 11
   item 9): a single or layered view takes the box's width (width "container", autosize
   fit, redrawn when the window changes); side-by-side panels are stacked; a faceted chart
   gets fewer columns, then narrower cells; at most FIT_TRIES redraws, after which the
   chart's box scrolls (site.css). The specs are those of the reports (reports/charts.py):
   only the web's copy is changed, on the phone. data-fit="done" marks a finished chart. */
(function () {
  var FIT_TRIES = 3;

  function room(target) {
    // the width the chart may take: its row of charts (or the chart's own box)
    var box = target.parentElement || target;
    return box.clientWidth;
  }

  function drawnWidth(target) {
    var el = target.querySelector("svg, canvas");
    return el ? el.getBoundingClientRect().width : 0;
  }

  function scaleWidth(view, ratio) {
    // a panel's own width: a number, or a band step; "container" is left alone
    if (typeof view.width === "number") view.width = Math.max(40, Math.floor(view.width * ratio));
    else if (view.width && typeof view.width.step === "number")
      view.width = { step: Math.max(8, Math.floor(view.width.step * ratio)) };
  }

  function fitted(spec, avail, drawn) {
    var s = JSON.parse(JSON.stringify(spec));
    var ratio = avail / drawn;
    if (s.hconcat) {
      s.vconcat = s.hconcat;
      delete s.hconcat;
    } else if (s.vconcat) {
      s.vconcat.forEach(function (panel) { scaleWidth(panel, ratio); });
    } else if (s.facet || s.repeat) {
      if (s.columns && s.columns > 1) s.columns = Math.max(1, Math.floor(s.columns * ratio));
      else if (s.spec) scaleWidth(s.spec, ratio);
    } else {
      s.width = "container";
      s.autosize = { type: "fit", contains: "padding" };
    }
    return s;
  }

  function embed(target, spec, options, tries) {
    if (spec.width === "container") target.classList.add("chart-fit");
    return vegaEmbed(target, spec, options).then(function (result) {
      var avail = room(target);
      var drawn = drawnWidth(target);
      if (tries >= FIT_TRIES || !avail || drawn <= avail + 1 || spec.width === "container") {
        target.dataset.fit = "done";
        return result;
      }
      var next = fitted(spec, avail, drawn);
      result.finalize();
      target.textContent = "";
      return embed(target, next, options, tries + 1);
    });
  }

  function draw() {
    var el = document.getElementById("chart-specs");
    if (!el || typeof vegaEmbed !== "function") return;
    var payload = JSON.parse(el.textContent);
    document.querySelectorAll("[data-chart]").forEach(function (target) {
      var spec = payload.specs[target.getAttribute("data-chart")];
      if (!spec || target.dataset.drawn) return;
      target.dataset.drawn = "1";
      var options = Object.assign({ ast: true }, payload.options);
      embed(target, spec, options, 0).catch(function (err) {
        target.textContent = String(err);
        target.dataset.fit = "done";
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
