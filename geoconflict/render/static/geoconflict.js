/* geoconflict map helpers. Every string from an article reaches the page through
   textContent (never innerHTML), in elements that isolate their text direction
   (dir="auto"), and links are made only for http(s) URLs. */
(function () {
  "use strict";
  var gc = (window.geoconflict = window.geoconflict || {});

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null && text !== "") node.textContent = String(text);
    return node;
  }
  gc.el = el;

  /* Text from an article: its own direction, never reordering what surrounds it (RLO and friends). */
  function textEl(tag, cls, text) {
    var node = el(tag, cls, text);
    node.dir = "auto";
    return node;
  }

  gc.safeUrl = function (value) {
    if (!value) return null;
    try {
      var url = new URL(String(value));
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (e) {
      return null;
    }
  };

  function row(table, label, value) {
    if (value === undefined || value === null || value === "") return;
    var tr = el("tr");
    tr.appendChild(el("th", null, label));
    tr.appendChild(textEl("td", null, value));
    table.appendChild(tr);
  }

  /* ---- page layout: map, chart strip under it, side panel beside it ---- */

  function layout(map) {
    if (gc.page) return gc.page;
    var container = map.getContainer();
    var page = el("div", "gc-page");
    var main = el("div", "gc-main");
    var side = el("aside", "gc-side");
    container.parentNode.insertBefore(page, container);
    main.appendChild(container);
    page.appendChild(main);
    page.appendChild(side);
    gc.page = { page: page, main: main, side: side };
    map.invalidateSize();
    return gc.page;
  }

  function section(side, heading, cls) {
    var box = el("section", "gc-section " + (cls || ""));
    if (heading) box.appendChild(el("h2", "gc-section-title", heading));
    side.appendChild(box);
    return box;
  }

  function legend(side, spec) {
    if (!spec) return;
    var div = section(side, spec.title, "gc-legend");
    (spec.items || []).forEach(function (item) {
      var line = el("div", "gc-legend-item");
      var swatch = el("span", "gc-swatch gc-shape-" + (item.shape || "box"));
      if (item.radius) {
        swatch.style.width = swatch.style.height = 2 * item.radius + "px";
      }
      swatch.style.background = item.fill === false ? "transparent" : item.color;
      swatch.style.borderColor = item.stroke || item.color;
      var cell = el("span", "gc-swatch-cell");
      cell.appendChild(swatch);
      line.appendChild(cell);
      line.appendChild(el("span", null, item.label));
      div.appendChild(line);
    });
    (spec.notes || []).forEach(function (text) { div.appendChild(el("div", "gc-legend-note", text)); });
  }

  function credits(side, list) {
    var box = section(side, "Sources", "gc-credits");
    (list || []).forEach(function (c) {
      var line = el("div", "gc-credit");
      var url = gc.safeUrl(c[1]);
      if (url) {
        var a = el("a", null, c[0]);
        a.href = url;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        line.appendChild(a);
      } else {
        line.textContent = c[0];
      }
      box.appendChild(line);
    });
  }

  function pane(map, name, z) {
    if (!map.getPane(name)) {
      var p = map.createPane(name);
      p.style.zIndex = String(z);
      p.style.pointerEvents = "none";
    }
    return name;
  }

  function label(latlng, text, cls, paneName) {
    return L.marker(latlng, {
      pane: paneName, interactive: false, keyboard: false,
      icon: L.divIcon({ className: "gc-label " + cls, html: "", iconSize: null }),
    }).on("add", function (e) {
      var node = e.target.getElement();
      node.textContent = "";
      node.appendChild(el("span", null, text));
    });
  }

  function overlaps(a, list) {
    for (var i = 0; i < list.length; i++) {
      var b = list[i];
      if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) return true;
    }
    return false;
  }

  /* District names are shown where the district is wide enough on screen for its name and the
     name does not cover a town's name or a larger district's name. */
  function districtLabels(map, rows, districtLayer, fixed) {
    var bounds = {};
    if (districtLayer) {
      districtLayer.eachLayer(function (lyr) { bounds[lyr.feature.properties.id] = lyr.getBounds(); });
    }
    var labels = rows.map(function (r) {
      var m = label([r[2], r[3]], r[0], "gc-district-label", pane(map, "gc-labels", 450));
      m.gcName = r[0];
      m.gcBounds = bounds[r[1]];
      return m.addTo(map);
    });
    function update() {
      var taken = [];
      fixed.forEach(function (m) {
        var node = m.getElement();
        if (!node || !node.firstChild) return;
        var r = node.firstChild.getBoundingClientRect();
        taken.push({ left: r.left - 8, right: r.right + 2, top: r.top - 2, bottom: r.bottom + 2 });
      });
      labels.forEach(function (m) {
        var node = m.getElement();
        if (!node) return;
        var fits = true;
        if (m.gcBounds) {
          var a = map.latLngToContainerPoint(m.gcBounds.getNorthWest());
          var b = map.latLngToContainerPoint(m.gcBounds.getSouthEast());
          fits = Math.abs(b.x - a.x) >= m.gcName.length * 6.2 + 6 && Math.abs(b.y - a.y) >= 14;
        }
        node.classList.toggle("gc-hidden", !fits);
        if (!fits || !node.firstChild) return;
        var r = node.firstChild.getBoundingClientRect();
        if (overlaps(r, taken)) node.classList.add("gc-hidden");
        else taken.push(r);
      });
    }
    map.on("zoomend", update);
    gc.updateLabels = update;
    return labels;
  }

  function context(map, spec, districtLayer) {
    var ctx = spec.context || {};
    var under = pane(map, "gc-context", 250);
    if (ctx.others) {
      L.geoJSON(ctx.others, { pane: under, interactive: false,
        style: { color: "#b5b5b5", weight: 1, fillColor: "#ececec", fillOpacity: 1, className: "gc-other" } }).addTo(map);
    }
    if (ctx.country) {
      L.geoJSON(ctx.country, { pane: under, interactive: false,
        style: { color: "#8a8a8a", weight: 1.5, fill: false, className: "gc-country" } }).addTo(map);
    }
    var labelPane = pane(map, "gc-labels", 450);
    (ctx.regions || []).forEach(function (r) { label([r[1], r[2]], r[0], "gc-region-label", labelPane).addTo(map); });
    var fixed = [];
    (ctx.towns || []).forEach(function (t) {
      L.circleMarker([t[1], t[2]], { pane: labelPane, radius: 2.5, color: "#333", weight: 1, fillColor: "#fff",
        fillOpacity: 1, interactive: false, className: "gc-town" }).addTo(map);
      fixed.push(label([t[1], t[2]], t[0], "gc-town-label", labelPane).addTo(map));
    });
    gc.labels = districtLabels(map, ctx.labels || [], districtLayer, fixed);
    if (ctx.basemap) {
      var tiles = L.tileLayer(ctx.basemap.url, { attribution: ctx.basemap.attribution, maxZoom: 18, opacity: 0.55 });
      var overlays = {};
      overlays[ctx.basemap.name] = tiles;
      L.control.layers(null, overlays, { collapsed: false, position: "topright" }).addTo(map);
      if (ctx.basemap.on) tiles.addTo(map);
    }
    if (map.attributionControl) {
      map.attributionControl.addAttribution("geoBoundaries (ODbL) \u00b7 PBS census \u00b7 GeoNames (CC BY)");
    }
  }

  /* Title, subtitle, side panel, orientation layers and the first view. Called once per map. */
  function frame(map, spec, districtLayer) {
    var parts = layout(map);
    var head = section(parts.side, null, "gc-head");
    head.appendChild(el("h1", "gc-title", spec.title));
    if (spec.subtitle) head.appendChild(el("div", "gc-subtitle", spec.subtitle));
    context(map, spec, districtLayer);
    return parts;
  }

  function finish(map, spec, parts) {
    if (spec.notes && spec.notes.length) {
      var box = section(parts.side, "About the data", "gc-note");
      spec.notes.forEach(function (t) { box.appendChild(el("p", null, t)); });
    }
    if (spec.unplaced) unplacedList(map, parts.side, spec.unplaced, spec.unplacedTotal, unitOf(spec));
    if (spec.districtOnly && spec.districtOnly.length) districtOnlyList(map, parts.side, spec);
    credits(parts.side, (spec.context || {}).credits);
    map.invalidateSize();
    if (spec.bounds) map.fitBounds(spec.bounds, { padding: [14, 14], animate: false });
    if (gc.updateLabels) gc.updateLabels();
  }

  function summary(ev, i) {
    var bits = [ev.date[i]];
    var actor = ev.actors[ev.actor[i]];
    if (actor) bits.push(actor);
    bits.push(ev.types[ev.type[i]]);
    if (ev.killed[i] !== null) bits.push(ev.killed[i] + " killed");
    return bits.join(" \u00b7 ");
  }

  /* Events known only to the province: listed beside the map, never drawn at a false spot. */
  /* What one row is, singular and plural ("incident", "incidents"), as the Python side names it. */
  function unitOf(spec) { return spec.unit || ["event", "events"]; }

  function are(n, unit) { return n + " " + (n === 1 ? unit[0] + " is" : unit[1] + " are"); }

  function unplacedList(map, side, ev, total, unit) {
    var shown = ev.lat.length;
    var n = total || shown;
    if (!n) return;
    var box = section(side, "Not placed on the map", "gc-unplaced");
    box.appendChild(el("p", "gc-unplaced-intro", are(n, unit) +
      " known only to the province; open one to read it."));
    if (shown < n) box.appendChild(el("p", null, "The first " + shown + " are listed."));
    var list = el("ul", "gc-unplaced-list");
    for (var i = 0; i < shown; i++) {
      var item = el("li", "gc-unplaced-item");
      var details = el("details");
      details.appendChild(textEl("summary", null, summary(ev, i)));
      details.appendChild(popup(ev, i));
      item.appendChild(details);
      list.appendChild(item);
    }
    box.appendChild(list);
  }

  /* Events known only to their district: drawn at the district's centre, and listed here to find them. */
  function districtOnlyList(map, side, spec) {
    var ev = spec.events;
    var box = section(side, "Known only to the district", "gc-district-only");
    var total = spec.districtOnlyTotal || spec.districtOnly.length;
    box.appendChild(el("p", null, are(total, unitOf(spec)) + " drawn as dashed rings at " +
      "the district's centre" + (total > spec.districtOnly.length ? "; the first " + spec.districtOnly.length +
      " are listed" : "") + ". Choose one to open it."));
    var list = el("ul", "gc-unplaced-list");
    spec.districtOnly.forEach(function (i) {
      var item = el("li");
      var button = textEl("button", "gc-linklike", (ev.where[i] || "") + ": " + summary(ev, i));
      button.type = "button";
      button.addEventListener("click", function () { gc.open(i); });
      item.appendChild(button);
      list.appendChild(item);
    });
    box.appendChild(list);
  }

  function districtTip(props, stats, period, unit) {
    var box = el("div", "gc-tip");
    box.appendChild(textEl("div", "gc-tip-title", props.name));
    var table = el("table");
    row(table, "Province", props.province);
    if (period) row(table, "Period", period);
    var label = (unit || ["event", "events"])[1];
    row(table, label.charAt(0).toUpperCase() + label.slice(1), stats ? stats[0] : 0);
    row(table, "Killed", stats ? stats[1] : 0);
    row(table, "Injured", stats ? stats[2] : 0);
    if (stats && stats[3]) row(table, "Dates", stats[3]);
    box.appendChild(table);
    return box;
  }

  function districtOutlines(map, districts) {
    if (!districts) return null;
    return L.geoJSON(districts, {
      interactive: false,
      style: { color: "#999", weight: 0.6, fill: false, className: "gc-outline" },
    }).addTo(map);
  }

  function outlines(map, provinces) {
    return L.geoJSON(provinces, {
      interactive: false,
      style: { color: "#222", weight: 2, fill: false, className: "gc-province" },
    }).addTo(map);
  }

  function districtLayer(map, spec, colorOf, tipOf) {
    return L.geoJSON(spec.districts, {
      style: function (feature) {
        return { className: "gc-district", color: "#555", weight: 0.8, fillColor: colorOf(feature), fillOpacity: 0.8 };
      },
      onEachFeature: function (feature, lyr) {
        lyr.bindTooltip(function () { return tipOf(feature); }, { sticky: true });
      },
    }).addTo(map);
  }

  /* Choropleth: spec = {districts, provinces, classes: {id: k}, stats: {id: [events, killed, injured, span]},
     colors, legend, title, subtitle, notes, unplaced, context, bounds} */
  gc.choropleth = function (map, spec) {
    var layer = districtLayer(map, spec,
      function (f) { return spec.colors[spec.classes[f.properties.id] || 0]; },
      function (f) { return districtTip(f.properties, spec.stats[f.properties.id], undefined, unitOf(spec)); });
    outlines(map, spec.provinces);
    var parts = frame(map, spec, layer);
    legend(parts.side, spec.legend);
    finish(map, spec, parts);
    gc.districts = layer;
    gc.ready = true;
  };

  /* ---- time: a chart of the value per period, linked to a slider that can play ---- */

  /* Returns a function that shows the opening period (call it once the layers are on the map). */
  function timeControl(map, spec, onChange) {
    var parts = layout(map);
    var periods = spec.periods;
    var series = spec.series || periods.map(function () { return 0; });
    var first = 0;
    while (first < series.length - 1 && !(series[first] > 0)) first++;
    var state = { index: first, timer: null };
    var strip = el("div", "gc-time");
    var controls = el("div", "gc-time-controls");
    var play = el("button", "gc-play", "\u25B6 Play");
    play.type = "button";
    play.title = "Play through the periods";
    var input = el("input", "gc-range");
    input.type = "range";
    input.min = "0";
    input.max = String(Math.max(0, periods.length - 1));
    input.step = "1";
    input.value = String(state.index);
    input.setAttribute("aria-label", spec.sliderLabel);
    var text = el("span", "gc-period", periods[state.index]);
    var count = el("span", "gc-period-value");
    controls.appendChild(el("span", "gc-slider-title", spec.sliderLabel));
    controls.appendChild(play);
    controls.appendChild(input);
    controls.appendChild(text);
    controls.appendChild(count);
    strip.appendChild(controls);
    var svgNS = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(svgNS, "svg");
    svg.setAttribute("class", "gc-chart");
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", spec.chartLabel || spec.sliderLabel);
    var W = 1000, H = 80, top = Math.max.apply(null, series.concat([1]));
    svg.setAttribute("viewBox", "0 0 " + W + " " + (H + 14));
    svg.setAttribute("preserveAspectRatio", "none");
    var step = W / Math.max(1, periods.length);
    var bars = periods.map(function (p, i) {
      var h = series[i] > 0 ? Math.max(2, (series[i] / top) * H) : 0;
      var hit = document.createElementNS(svgNS, "rect");
      hit.setAttribute("x", String(i * step));
      hit.setAttribute("y", "0");
      hit.setAttribute("width", String(step));
      hit.setAttribute("height", String(H));
      hit.setAttribute("class", "gc-bar-hit");
      var bar = document.createElementNS(svgNS, "rect");
      bar.setAttribute("x", String(i * step + step * 0.12));
      bar.setAttribute("y", String(H - h));
      bar.setAttribute("width", String(step * 0.76));
      bar.setAttribute("height", String(h));
      bar.setAttribute("class", "gc-bar");
      bar.setAttribute("data-index", String(i));
      bar.setAttribute("data-value", String(series[i]));
      var title = document.createElementNS(svgNS, "title");
      title.textContent = p + ": " + series[i];
      hit.appendChild(title);
      [hit, bar].forEach(function (node) {
        node.addEventListener("click", function () { go(i); });
        svg.appendChild(node);
      });
      return bar;
    });
    [0, periods.length - 1].forEach(function (i, k) {
      if (k === 1 && i === 0) return;
      var t = document.createElementNS(svgNS, "text");
      t.setAttribute("x", String(k === 0 ? 2 : W - 2));
      t.setAttribute("y", String(H + 12));
      t.setAttribute("text-anchor", k === 0 ? "start" : "end");
      t.setAttribute("class", "gc-axis");
      t.textContent = periods[i];
      svg.appendChild(t);
    });
    strip.appendChild(svg);
    parts.main.appendChild(strip);
    map.invalidateSize();
    function go(i) {
      state.index = i;
      input.value = String(i);
      text.textContent = periods[i];
      var unit = spec.seriesUnit || ["", ""];
      count.textContent = "(" + series[i] + " " + (series[i] === 1 ? unit[0] : unit[1]) + ")";
      bars.forEach(function (b, k) { b.classList.toggle("gc-bar-current", k === i); });
      onChange(i);
    }
    input.addEventListener("input", function () { go(Number(input.value)); });
    play.addEventListener("click", function () {
      if (state.timer) {
        clearInterval(state.timer);
        state.timer = null;
        play.textContent = "\u25B6 Play";
        return;
      }
      play.textContent = "\u275A\u275A Pause";
      state.timer = setInterval(function () { go((state.index + 1) % periods.length); }, 900);
    });
    gc.go = go;
    return function () { go(state.index); };
  }

  /* Time-slider choropleth: spec = {districts, provinces, periods, classes: [[k per district]],
     stats: [[[events, killed, injured]]], ids, colors, series, legend, undated, ...frame} */
  gc.timeline = function (map, spec) {
    var position = {};
    spec.ids.forEach(function (id, i) { position[id] = i; });
    var current = 0;
    var layer = districtLayer(map, spec, function () { return spec.colors[0]; }, function (f) {
      var i = position[f.properties.id];
      var stats = spec.stats[current] ? spec.stats[current][i] : null;
      return districtTip(f.properties, stats, spec.periods[current], unitOf(spec));
    });
    outlines(map, spec.provinces);
    var parts = frame(map, spec, layer);
    legend(parts.side, spec.legend);
    function show(index) {
      current = index;
      var r = spec.classes[index] || [];
      layer.eachLayer(function (lyr) {
        lyr.setStyle({ fillColor: spec.colors[r[position[lyr.feature.properties.id]] || 0] });
      });
    }
    var undatedShown = spec.undated && spec.undated.events.lat.length;
    if (undatedShown) legend(parts.side, spec.undated.legend);
    var start = spec.periods.length ? timeControl(map, spec, show) : null;
    finish(map, spec, parts);
    if (undatedShown) {
      // After the first view is set: a cluster group on the map during a view reset stays stuck "animating".
      var group = pointLayer(map, spec.undated);
      group.addTo(map);
      var markers = [];
      for (var i = 0; i < spec.undated.events.lat.length; i++) markers.push(marker(spec.undated.events, i));
      group.addLayers(markers);
      gc.markers = markers;
      gc.layer = group;
      gc.map = map;
      gc.eventData = spec.undated.events;
    }
    if (start) start();
    gc.districts = layer;
    gc.ready = true;
  };

  /* ---- points ---- */

  function popup(ev, i) {
    var box = el("div", "gc-popup");
    box.appendChild(textEl("div", "gc-popup-title", ev.location[i] || "Event"));
    var table = el("table");
    row(table, "Date", ev.date[i]);
    row(table, "Where", ev.where[i]);
    row(table, "Precision", ev.precisionText[ev.prec[i]]);
    row(table, "Actor", ev.actors[ev.actor[i]]);
    row(table, "Type", ev.types[ev.type[i]]);
    row(table, "Target", ev.target[i]);
    // who was killed, inside the toll: "7 (civilians 4, security forces 2, militants 1)"
    var killed = ev.killed[i];
    if (ev.breakdown[i]) killed = (killed === null || killed === undefined ? "?" : killed) + " (" + ev.breakdown[i] + ")";
    row(table, "Killed", killed);
    row(table, "Injured", ev.injured[i]);
    box.appendChild(table);
    if (ev.evidence[i]) box.appendChild(textEl("blockquote", "gc-evidence", ev.evidence[i]));
    var article = ev.articles[ev.article[i]] || [];
    var source = el("div", "gc-source");
    source.appendChild(el("span", null, "Article: "));
    source.appendChild(textEl("bdi", null, article[0] || ""));
    if (article[1]) source.appendChild(textEl("div", "gc-article-title", article[1]));
    var url = gc.safeUrl(article[2]);
    if (url) {
      var link = textEl("a", null, url);
      link.href = url;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      source.appendChild(link);
    } else if (article[2]) {
      source.appendChild(textEl("div", "gc-url", article[2]));
    }
    box.appendChild(source);
    return box;
  }
  gc.popup = popup;

  /* A data block parsed on first use (a merged point map's event lines), then kept. */
  var lazyCache = {};
  gc.lazy = function (id) {
    if (!(id in lazyCache)) lazyCache[id] = JSON.parse(document.getElementById(id).textContent);
    return lazyCache[id];
  };

  /* A merged marker's popup: the place, its number of events and combined toll, and its first
     events by date, read from the lazy data block when the popup is opened. */
  function placePopup(spec, i) {
    var ev = spec.events;
    var unit = unitOf(spec);
    var count = ev.count[i];
    var box = el("div", "gc-popup gc-place-popup");
    var where = ev.wheres[ev.where[i]];
    box.appendChild(textEl("div", "gc-popup-title", ev.names[ev.name[i]] || where || "Place"));
    var table = el("table");
    row(table, "Where", where);
    row(table, "Precision", ev.precisionText[ev.prec[i]]);
    row(table, unit[1].charAt(0).toUpperCase() + unit[1].slice(1), count);
    row(table, "Killed (all)", ev.killed[i]);
    row(table, "Injured (all)", ev.injured[i]);
    box.appendChild(table);
    var lines = gc.lazy(spec.lazyBlock);
    if (!ev.first) {  // where each place's lines start: the counts of the places before it
      ev.first = new Array(ev.count.length);
      for (var p = 0, sum = 0; p < ev.count.length; p++) { ev.first[p] = sum; sum += ev.count[p]; }
    }
    var shown = Math.min(count, spec.popupLimit || count);
    box.appendChild(el("p", "gc-place-intro", shown < count
      ? "The first " + shown + " of " + count + " " + unit[1] + " here, by date:" : "By date:"));
    var list = el("ol", "gc-place-events");
    for (var j = ev.first[i]; j < ev.first[i] + shown; j++) {
      var item = el("li", "gc-place-event");
      var bits = [lines.dates[lines.date[j]], lines.actors[lines.actor[j]], lines.types[lines.type[j]]];
      var toll = lines.tolls[lines.toll[j]];
      if (toll[0] !== null) bits.push(toll[0] + " killed");
      if (toll[1] !== null) bits.push(toll[1] + " injured");
      item.appendChild(textEl("span", "gc-place-line", bits.join(" \u00b7 ")));
      var article = lines.articles[lines.article[j]] || [];
      var url = gc.safeUrl(article[2]);
      var name = article[1] || article[0] || article[2];
      if (name) {
        item.appendChild(document.createTextNode(" \u2014 "));
        var source = textEl(url ? "a" : "bdi", "gc-place-source", name);
        if (url) {
          source.href = url;
          source.target = "_blank";
          source.rel = "noopener noreferrer";
        }
        item.appendChild(source);
      }
      list.appendChild(item);
    }
    box.appendChild(list);
    return box;
  }
  gc.placePopup = placePopup;

  /* Cluster icons of a merged map count the events of their markers, not the markers. */
  function eventClusterIcon(cluster) {
    var n = 0;
    cluster.getAllChildMarkers().forEach(function (m) { n += m.options.gcCount || 1; });
    var size = n < 100 ? "small" : n < 1000 ? "medium" : "large";
    return new L.DivIcon({ html: "<div><span>" + String(n) + "</span></div>",
      className: "marker-cluster marker-cluster-" + size, iconSize: new L.Point(40, 40) });
  }

  function popupOf(spec, i) { return spec.merged ? placePopup(spec, i) : popup(spec.events, i); }

  /* Every marker is a circle in pixels sized by the number killed (as the size legend shows);
     its outline tells the precision: solid town, ring area, dashed ring district only. */
  function marker(ev, i) {
    var color = ev.palette[ev.color[i]];
    var prec = ev.prec[i];
    var options = { color: color, fillColor: color, radius: ev.radius[i], className: "gc-event gc-p" + prec,
      gcIndex: i, pane: "gc-events" };
    if (ev.count) options.gcCount = ev.count[i];  // a merged map: one marker per place
    if (prec === 1) {
      options.fillOpacity = 0.75;
      options.weight = 1;
    } else if (prec === 2) {
      options.fillOpacity = 0.2;
      options.weight = 2.5;
    } else {
      options.fillOpacity = 0.08;
      options.weight = 2;
      options.dashArray = "4 3";
    }
    return L.circleMarker([ev.lat[i], ev.lon[i]], options);
  }

  /* One popup per map, reused: its content is replaced, so only one is ever in the page. */
  function showPopup(map, latlng, content) {
    if (!map.gcPopup) map.gcPopup = L.popup({ maxWidth: 360 });
    map.gcPopup.setLatLng(latlng).setContent(content);
    if (!map.hasLayer(map.gcPopup)) map.gcPopup.openOn(map);
  }

  /* Markers go in a cluster group: when clustering is off it merges only markers on the same spot,
     so a click spreads them out (spiderfy) and each can be opened. */
  function pointLayer(map, spec) {
    if (!map.getPane("gc-events")) map.createPane("gc-events").style.zIndex = "460";  // above the names
    var options = spec.cluster
      ? { chunkedLoading: true, spiderfyOnMaxZoom: true, showCoverageOnHover: false,
        chunkProgress: function (done, total) { gc.clustered = done >= total; } }
      : { maxClusterRadius: 1, spiderfyOnMaxZoom: true, showCoverageOnHover: false, spiderfyDistanceMultiplier: 1.6 };
    if (spec.merged) options.iconCreateFunction = eventClusterIcon;
    var group = L.markerClusterGroup(options);
    group.on("click", function (e) {
      var i = e.layer.options.gcIndex;
      if (i === undefined) return;
      showPopup(map, e.layer.getLatLng(), popupOf(spec, i));
    });
    return group;
  }

  function pointsCommon(map, spec) {
    var outlinesLayer = districtOutlines(map, spec.outlines);
    if (spec.provinces) outlines(map, spec.provinces);
    var parts = frame(map, spec, outlinesLayer);
    legend(parts.side, spec.legend);
    legend(parts.side, spec.sizeLegend);
    legend(parts.side, spec.precisionLegend);
    return parts;
  }

  /* Open marker i's popup at its place, whether the marker is drawn alone or merged in a cluster. */
  gc.open = function (i) {
    var m = gc.markers && gc.markers[i];
    if (!m || !gc.map) return;
    showPopup(gc.map, m.getLatLng(), gc.spec && gc.spec.merged ? placePopup(gc.spec, i) : popup(gc.eventData, i));
  };

  /* A merged map says so on the map itself, not only in the side panel. */
  function mergedNote(map, text) {
    var control = L.control({ position: "bottomleft" });
    control.onAdd = function () { return el("div", "gc-merged-note", text); };
    control.addTo(map);
  }

  /* Points: spec = {events: columns, cluster, legend, sizeLegend, precisionLegend, unplaced, districtOnly, ...frame} */
  gc.points = function (map, spec) {
    var ev = spec.events;
    var group = pointLayer(map, spec);
    var markers = [];
    for (var i = 0; i < ev.lat.length; i++) markers.push(marker(ev, i));
    var parts = pointsCommon(map, spec);
    gc.layer = group;
    gc.markers = markers;
    gc.map = map;
    gc.eventData = ev;
    gc.spec = spec;
    if (spec.mergedNote) mergedNote(map, spec.mergedNote);
    finish(map, spec, parts);
    // After the first view is set (see timeline), and on the map before adding: markercluster's
    // addLayers on a detached group is quadratic in the markers.
    group.addTo(map);
    group.addLayers(markers);
    gc.ready = true;
  };

  /* Points over time: like points, plus ev.period (index into spec.periods, -1 undated); a merged map
     has a marker per place and period. */
  gc.pointsTimeline = function (map, spec) {
    var ev = spec.events;
    var group = pointLayer(map, spec);
    var undated = pointLayer(map, spec);
    var byPeriod = spec.periods.map(function () { return []; });
    var all = [];
    var undatedMarkers = [];
    for (var i = 0; i < ev.lat.length; i++) {
      var m = marker(ev, i);
      all.push(m);
      if (ev.period[i] < 0) undatedMarkers.push(m);
      else byPeriod[ev.period[i]].push(m);
    }
    var parts = pointsCommon(map, spec);
    gc.layer = group;
    gc.undated = undated;
    gc.markers = all;
    gc.map = map;
    gc.eventData = ev;
    gc.spec = spec;
    if (spec.mergedNote) mergedNote(map, spec.mergedNote);
    function show(index) {
      group.clearLayers();
      group.addLayers(byPeriod[index]);
    }
    var start = spec.periods.length ? timeControl(map, spec, show) : null;
    finish(map, spec, parts);
    group.addTo(map);
    undated.addTo(map);
    undated.addLayers(undatedMarkers);
    if (start) start();
    gc.ready = true;
  };
})();
