/* The run report's events table: built with textContent from a JSON block, sortable and filterable. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("gc-report-data").textContent);
  var table = document.getElementById("gc-events");
  var filter = document.getElementById("gc-filter");
  var actorSelect = document.getElementById("gc-actor");
  var districtSelect = document.getElementById("gc-district");
  var count = document.getElementById("gc-count");
  var cols = data.columns;
  var actorCol = cols.indexOf("Actor"), districtCol = cols.indexOf("District"), sourceCol = cols.length - 1;
  var sort = { col: 0, dir: 1 };

  function el(tag, text) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function safeUrl(value) {
    if (!value) return null;
    try {
      var url = new URL(String(value));
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (e) { return null; }
  }
  function options(select, col) {
    if (col < 0) return;
    var seen = {};
    data.rows.forEach(function (r) { if (r[col]) seen[r[col]] = true; });
    Object.keys(seen).sort().forEach(function (v) {
      var o = el("option", v);
      o.value = v;
      select.appendChild(o);
    });
  }
  function text(r) {
    return r.map(function (v, i) { return i === sourceCol ? (v || []).join(" ") : (v === null ? "" : String(v)); })
      .join(" ").toLowerCase();
  }
  var haystack = data.rows.map(text);

  var head = el("tr");
  cols.forEach(function (name, i) {
    var th = el("th");
    th.className = "gc-sortable";
    var button = el("button", name);  // the button keeps sorting reachable by keyboard
    button.type = "button";
    button.className = "gc-sort";
    th.addEventListener("click", function () {  // the whole cell sorts; a click on the button bubbles here
      sort = { col: i, dir: sort.col === i ? -sort.dir : 1 };
      draw();
    });
    th.appendChild(button);
    head.appendChild(th);
  });
  table.tHead.appendChild(head);

  function compare(a, b) {
    var x = a[sort.col], y = b[sort.col];
    if (sort.col === sourceCol) { x = (x || [])[0]; y = (y || [])[0]; }
    if (x === null || x === undefined || x === "") return 1;
    if (y === null || y === undefined || y === "") return -1;
    if (typeof x === "number" && typeof y === "number") return (x - y) * sort.dir;
    return String(x).localeCompare(String(y)) * sort.dir;
  }

  function draw() {
    var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    var actor = actorSelect.value, district = districtSelect.value;
    var rows = [];
    data.rows.forEach(function (r, i) {
      if (actor && r[actorCol] !== actor) return;
      if (district && r[districtCol] !== district) return;
      if (words.some(function (w) { return haystack[i].indexOf(w) < 0; })) return;
      rows.push(r);
    });
    rows.sort(compare);
    var body = el("tbody");
    rows.forEach(function (r) {
      var tr = el("tr");
      r.forEach(function (v, i) {
        var td = el("td");
        td.dir = "auto";
        if (i === sourceCol) {
          var src = v || [];
          var url = safeUrl(src[2]);
          var name = src[1] || src[0] || src[2] || "";
          if (url) {
            var a = el("a", name);
            a.href = url;
            a.target = "_blank";
            a.rel = "noopener noreferrer";
            td.appendChild(a);
          } else {
            td.textContent = name;
          }
          if (src[0] && src[1]) td.appendChild(el("div", src[0])).className = "gc-article-id";
        } else {
          td.textContent = v === null || v === undefined ? "" : String(v);
          if (cols[i] === "Evidence") td.className = "gc-evidence";
          if (data.numeric.indexOf(cols[i]) >= 0) td.className = "gc-num";
        }
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    table.replaceChild(body, table.tBodies[0]);
    Array.prototype.forEach.call(head.children, function (th, i) {
      th.setAttribute("aria-sort", i === sort.col ? (sort.dir > 0 ? "ascending" : "descending") : "none");
    });
    count.textContent = rows.length + " of " + data.rows.length + " events";
  }
  options(actorSelect, actorCol);
  options(districtSelect, districtCol);
  [filter, actorSelect, districtSelect].forEach(function (c) { c.addEventListener("input", draw); });
  draw();

  var copy = document.getElementById("gc-copy-aliases");
  if (copy) {
    copy.addEventListener("click", function () {
      var area = document.getElementById("gc-aliases");
      var status = document.getElementById("gc-copy-status");
      area.select();
      var done = function () { status.textContent = "Copied."; };
      var fallback = function () {
        try { status.textContent = document.execCommand("copy") ? "Copied." : "Select the text and copy it."; }
        catch (e) { status.textContent = "Select the text and copy it."; }
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(area.value).then(done, fallback);
      } else {
        fallback();
      }
    });
  }
  window.geoconflictReport = { ready: true, draw: draw };
})();
