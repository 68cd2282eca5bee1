/* Sortable tables: a click on a header button of table.sortable sorts its tbody rows by the
   cell's data-sort (numbers) or text; again reverses. The total row lives in tfoot. */
(function () {
  function key(row, i) {
    var cell = row.children[i];
    if (!cell) return "";
    var v = cell.getAttribute("data-sort");
    return v === null ? cell.textContent.trim().toLowerCase() : v;
  }
  function sortBy(table, i, btn) {
    var body = table.tBodies[0];
    var asc = btn.getAttribute("aria-sort") !== "ascending";
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a, i), y = key(b, i);
      var nx = parseFloat(x), ny = parseFloat(y);
      var cmp;
      if (x === "" && y === "") cmp = 0;
      else if (x === "") cmp = 1;
      else if (y === "") cmp = -1;
      else if (!isNaN(nx) && !isNaN(ny)) cmp = nx - ny;
      else cmp = x < y ? -1 : x > y ? 1 : 0;
      return asc ? cmp : -cmp;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    table.querySelectorAll("th[aria-sort]").forEach(function (th) { th.removeAttribute("aria-sort"); });
    btn.closest("th").setAttribute("aria-sort", asc ? "ascending" : "descending");
    btn.setAttribute("aria-sort", asc ? "ascending" : "descending");
  }
  function init() {
    document.querySelectorAll("table.sortable thead button[data-col]").forEach(function (btn) {
      btn.addEventListener("click", function () {
        sortBy(btn.closest("table"), parseInt(btn.getAttribute("data-col"), 10), btn);
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
