/* Draw the Vega-Lite specs embedded in the page (#chart-specs) into [data-chart] elements,
   with the vendored vega-embed and the report's embed options (number locale etc.).
   ast: Vega evaluates its expressions with its interpreter, not new Function(): the pages'
   Content-Security-Policy has no 'unsafe-eval' (sanitasi.web.csp).

   A chart wider than its box (a phone, 390 px) is drawn again fitted to the box (issue 11
   item 9): a single or layered view takes the box's width (width "container", autosize
   fit-x, redrawn when the window changes); side-by-side panels (hconcat, the column channel)
   are stacked; a faceted chart gets fewer columns, then narrower cells; at most FIT_TRIES
   redraws, after which the
   chart's box scrolls (site.css). The specs are those of the reports (reports/charts/):
   only the web's copy is changed, on the phone. data-fit="done" marks a finished chart. */
(function () {
  var FIT_TRIES = 4;

  function room(target) {
    // the width the drawing may take: its row of charts (or the chart's own box) less the
    // chart's padding (vega-embed keeps room for its "..." menu)
    var box = target.parentElement || target;
    var style = getComputedStyle(target);
    return box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  }

  function wrap(text, chars) {
    // a title or subtitle as lines of at most `chars` characters (Vega draws a list of
    // lines; it never wraps a title itself)
    if (typeof text !== "string" || text.length <= chars) return text;
    var lines = [];
    var line = "";
    text.split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > chars) {
        lines.push(line);
        line = word;
      } else line = line ? line + " " + word : word;
    });
    if (line) lines.push(line);
    return lines;
  }

  function narrowLegendsAndTitles(s, avail, ratio) {
    // legends laid out in fewer columns; long titles and subtitles wrapped
    (function walk(node) {
      if (!node || typeof node !== "object") return;
      Object.keys(node).forEach(function (key) {
        var value = node[key];
        if (key === "legend" && value && typeof value.columns === "number" && value.columns > 1)
          value.columns = Math.max(1, Math.round(value.columns * ratio));
        walk(value);
      });
    })(s);
    var chars = Math.max(20, Math.floor(avail / 7));
    if (typeof s.title === "string") s.title = wrap(s.title, chars);
    else if (s.title && typeof s.title === "object") {
      s.title.text = wrap(s.title.text, chars);
      if (s.title.subtitle) s.title.subtitle = wrap(s.title.subtitle, Math.floor(chars * 1.1));
    }
  }

  function drawnWidth(target) {
    var el = target.querySelector("svg, canvas");
    return el ? el.getBoundingClientRect().width : 0;
  }

  function narrower(view, excess, ratio) {
    // a panel in a single column: a fixed width loses the excess (axes and legends keep
    // their size); a band step shrinks by the ratio squared (its labels do not shrink)
    if (typeof view.width === "number") view.width = Math.max(60, Math.floor(view.width - excess));
    else if (view.width && typeof view.width.step === "number")
      view.width = { step: Math.max(8, Math.floor(view.width.step * ratio * ratio)) };
  }

  function fitted(spec, avail, drawn) {
    var s = JSON.parse(JSON.stringify(spec));
    var ratio = avail / drawn;
    var excess = drawn - avail + 2;
    var enc = s.encoding || {};
    narrowLegendsAndTitles(s, avail, ratio);
    if (s.hconcat) {
      s.vconcat = s.hconcat; // side-by-side panels stacked
      delete s.hconcat;
    } else if (s.vconcat) {
      s.vconcat.forEach(function (panel) { narrower(panel, excess, ratio); });
    } else if (s.facet || s.repeat) {
      if (s.columns && s.columns > 1) s.columns = Math.max(1, Math.floor(s.columns * ratio));
      else if (s.spec) narrower(s.spec, excess, ratio);
    } else if (enc.column) {
      // panels side by side (the column channel) wrapped into one column
      enc.facet = Object.assign({}, enc.column, { columns: 1 });
      delete enc.column;
    } else if (enc.facet || enc.row) {
      if (enc.facet && enc.facet.columns > 1)
        enc.facet.columns = Math.max(1, Math.floor(enc.facet.columns * ratio));
      else narrower(s, excess, ratio);
    } else {
      s.width = "container"; // a single or layered view takes its box's width
      s.autosize = { type: "fit-x", contains: "padding" }; // the height stays
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
