/* shanhai-atlas offline site: the index table sorts by column and filters by typing. */
(function () {
  var table = document.getElementById("shanhai-counties");
  if (!table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var filter = document.getElementById("shanhai-filter");
  var count = document.getElementById("shanhai-count");
  function show() {
    var q = (filter.value || "").trim().toLowerCase();
    var n = 0;
    rows.forEach(function (r) {
      var hit = !q || r.textContent.toLowerCase().indexOf(q) >= 0;
      r.style.display = hit ? "" : "none";
      if (hit) { n += 1; }
    });
    count.textContent = String(n);
  }
  filter.addEventListener("input", show);
  /* each heading holds a button: it sorts by its column from the mouse or the keyboard
     (Enter, Space), and the heading's aria-sort says how the table is sorted */
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
    var button = document.createElement("button");
    button.type = "button";
    while (th.firstChild) { button.appendChild(th.firstChild); }
    th.appendChild(button);
    th.scope = "col";
    var sort = function () {
      var asc = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (o) { o.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      var num = th.hasAttribute("data-num");
      rows.sort(function (a, b) {
        var x = a.cells[col].getAttribute("data-v") || a.cells[col].textContent;
        var y = b.cells[col].getAttribute("data-v") || b.cells[col].textContent;
        if (num) { x = parseFloat(x); y = parseFloat(y); x = isNaN(x) ? -Infinity : x; y = isNaN(y) ? -Infinity : y; }
        var c = num ? x - y : String(x).localeCompare(String(y), "zh");
        return asc ? c : -c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    };
    button.addEventListener("click", sort);
  });
  show();
})();
