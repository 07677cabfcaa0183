/* geoconflict map helpers. Every string from an article reaches the page through
   textContent (never innerHTML), and links are made only for http(s) URLs. */
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
    tr.appendChild(el("td", null, value));
    table.appendChild(tr);
  }

  function control(map, position, cls, build) {
    var Box = L.Control.extend({
      onAdd: function () {
        var div = el("div", "gc-control " + cls);
        build(div);
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        return div;
      },
    });
    var box = new Box({ position: position });
    box.addTo(map);
    return box;
  }

  gc.note = function (map, text) {
    if (!text) return;
    control(map, "topright", "gc-note", function (div) { div.textContent = text; });
  };

  gc.title = function (map, text) {
    if (!text) return;
    control(map, "topleft", "gc-title", function (div) { div.textContent = text; });
  };

  gc.legend = function (map, title, items, extra) {
    control(map, "bottomright", "gc-legend", function (div) {
      div.appendChild(el("div", "gc-legend-title", title));
      items.forEach(function (item) {
        var line = el("div", "gc-legend-item");
        var swatch = el("span", "gc-swatch gc-shape-" + (item.shape || "box"));
        swatch.style.background = item.fill === false ? "transparent" : item.color;
        swatch.style.borderColor = item.stroke || item.color;
        line.appendChild(swatch);
        line.appendChild(el("span", null, item.label));
        div.appendChild(line);
      });
      (extra || []).forEach(function (text) { div.appendChild(el("div", "gc-legend-note", text)); });
    });
  };

  function districtTip(props, stats, value, period) {
    var box = el("div", "gc-tip");
    box.appendChild(el("div", "gc-tip-title", props.name));
    var table = el("table");
    row(table, "Province", props.province);
    if (period) row(table, "Period", period);
    row(table, "Events", stats ? stats[0] : 0);
    row(table, "Killed", stats ? stats[1] : 0);
    row(table, "Injured", stats ? stats[2] : 0);
    if (stats && stats[3]) row(table, "Dates", stats[3]);
    box.appendChild(table);
    return box;
  }

  function districtOutlines(map, districts) {
    if (!districts) return;
    L.geoJSON(districts, {
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

  /* Choropleth: spec = {districts, provinces, classes: {id: k}, stats: {id: [events, killed, injured, span]},
     colors: [...], legend: {...}, note, title} */
  gc.choropleth = function (map, spec) {
    var layer = L.geoJSON(spec.districts, {
      style: function (feature) {
        var k = spec.classes[feature.properties.id] || 0;
        return { className: "gc-district", color: "#555", weight: 0.8, fillColor: spec.colors[k], fillOpacity: 0.8 };
      },
      onEachFeature: function (feature, lyr) {
        lyr.bindTooltip(function () {
          return districtTip(feature.properties, spec.stats[feature.properties.id], spec.value);
        }, { sticky: true });
      },
    }).addTo(map);
    outlines(map, spec.provinces);
    gc.legend(map, spec.legend.title, spec.legend.items, spec.legend.notes);
    gc.note(map, spec.note);
    gc.title(map, spec.title);
    map.fitBounds(layer.getBounds());
    gc.districts = layer;
    gc.ready = true;
  };

  function slider(map, periods, onChange, label) {
    var state = { index: periods.length - 1, timer: null };
    control(map, "bottomleft", "gc-slider", function (div) {
      div.appendChild(el("div", "gc-slider-title", label));
      var text = el("div", "gc-period", periods[state.index]);
      var input = el("input", "gc-range");
      input.type = "range";
      input.min = "0";
      input.max = String(Math.max(0, periods.length - 1));
      input.step = "1";
      input.value = String(state.index);
      var play = el("button", "gc-play", "\u25B6");
      play.type = "button";
      play.title = "Play";
      input.addEventListener("input", function () {
        state.index = Number(input.value);
        text.textContent = periods[state.index];
        onChange(state.index);
      });
      play.addEventListener("click", function () {
        if (state.timer) {
          clearInterval(state.timer);
          state.timer = null;
          play.textContent = "\u25B6";
          return;
        }
        play.textContent = "\u275A\u275A";
        state.timer = setInterval(function () {
          input.value = String((Number(input.value) + 1) % periods.length);
          input.dispatchEvent(new Event("input"));
        }, 900);
      });
      div.appendChild(text);
      div.appendChild(input);
      div.appendChild(play);
    });
    onChange(state.index);
  }

  /* Time-slider choropleth: spec = {districts, provinces, periods: [...], classes: [[k per district]],
     stats: [[[events, killed, injured]]], ids: [...], colors, legend, note, title} */
  gc.timeline = function (map, spec) {
    var position = {};
    spec.ids.forEach(function (id, i) { position[id] = i; });
    var current = 0;
    var layer = L.geoJSON(spec.districts, {
      style: function () {
        return { className: "gc-district", color: "#555", weight: 0.8, fillColor: spec.colors[0], fillOpacity: 0.8 };
      },
      onEachFeature: function (feature, lyr) {
        lyr.bindTooltip(function () {
          var i = position[feature.properties.id];
          var stats = spec.stats[current] ? spec.stats[current][i] : null;
          return districtTip(feature.properties, stats, spec.value, spec.periods[current]);
        }, { sticky: true });
      },
    }).addTo(map);
    outlines(map, spec.provinces);
    function show(index) {
      current = index;
      var row = spec.classes[index] || [];
      layer.eachLayer(function (lyr) {
        var k = row[position[lyr.feature.properties.id]] || 0;
        lyr.setStyle({ fillColor: spec.colors[k] });
      });
    }
    gc.legend(map, spec.legend.title, spec.legend.items, spec.legend.notes);
    gc.note(map, spec.note);
    gc.title(map, spec.title);
    map.fitBounds(layer.getBounds());
    if (spec.periods.length) slider(map, spec.periods, show, spec.sliderLabel);
    gc.districts = layer;
    gc.ready = true;
  };

  function popup(ev, i) {
    var box = el("div", "gc-popup");
    var title = ev.location[i] || "Event";
    box.appendChild(el("div", "gc-popup-title", title));
    var table = el("table");
    row(table, "Date", ev.date[i]);
    row(table, "Where", ev.where[i]);
    row(table, "Precision", ev.precisionText[ev.prec[i]]);
    row(table, "Actor", ev.actors[ev.actor[i]]);
    row(table, "Type", ev.types[ev.type[i]]);
    row(table, "Target", ev.target[i]);
    row(table, "Killed", ev.killed[i]);
    row(table, "Injured", ev.injured[i]);
    row(table, "Killed by group", ev.breakdown[i]);
    box.appendChild(table);
    if (ev.evidence[i]) box.appendChild(el("blockquote", "gc-evidence", ev.evidence[i]));
    var article = ev.articles[ev.article[i]] || [];
    var source = el("div", "gc-source");
    source.appendChild(el("span", null, "Article: " + (article[0] || "")));
    if (article[1]) source.appendChild(el("div", "gc-article-title", article[1]));
    var url = gc.safeUrl(article[2]);
    if (url) {
      var link = el("a", null, url);
      link.href = url;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      source.appendChild(link);
    } else if (article[2]) {
      source.appendChild(el("div", "gc-url", article[2]));
    }
    box.appendChild(source);
    return box;
  }
  gc.popup = popup;

  var KM = [0, 0, 0, 12000, 60000];
  function marker(ev, i) {
    var color = ev.palette[ev.color[i]];
    var prec = ev.prec[i];
    var latlng = [ev.lat[i], ev.lon[i]];
    var options = { color: color, fillColor: color, weight: 1.5, className: "gc-event gc-p" + prec, gcIndex: i };
    var m;
    if (prec >= 3) {
      options.fillOpacity = prec === 3 ? 0.12 : 0.05;
      options.dashArray = prec === 3 ? "5 5" : "2 8";
      options.radius = KM[prec];
      m = L.circle(latlng, options);
    } else {
      options.radius = ev.radius[i];
      options.fillOpacity = prec === 1 ? 0.75 : 0.2;
      options.weight = prec === 1 ? 1 : 2.5;
      m = L.circleMarker(latlng, options);
    }
    return m;
  }

  function pointLayer(map, spec) {
    var group = spec.cluster
      ? L.markerClusterGroup({ chunkedLoading: true, spiderfyOnMaxZoom: true, showCoverageOnHover: false })
      : L.featureGroup();
    group.on("click", function (e) {
      var i = e.layer.options.gcIndex;
      if (i === undefined) return;
      L.popup({ maxWidth: 360 }).setLatLng(e.latlng).setContent(popup(spec.events, i)).openOn(map);
    });
    return group;
  }

  function addAll(group, markers, clustered) {
    if (clustered) group.addLayers(markers);
    else markers.forEach(function (m) { group.addLayer(m); });
  }

  /* Province outlines, legend, note, title and view of a point map. */
  function decorate(map, spec) {
    if (spec.provinces) outlines(map, spec.provinces);
    gc.legend(map, spec.legend.title, spec.legend.items, spec.legend.notes);
    gc.note(map, spec.note);
    gc.title(map, spec.title);
    if (spec.bounds) map.fitBounds(spec.bounds);
  }

  /* Points: spec = {events: columns, cluster, legend, note, title, bounds} */
  gc.points = function (map, spec) {
    var ev = spec.events;
    var group = pointLayer(map, spec);
    var markers = [];
    for (var i = 0; i < ev.lat.length; i++) markers.push(marker(ev, i));
    districtOutlines(map, spec.outlines);
    // On the map first: markercluster's addLayers on a detached group is quadratic in the markers.
    group.addTo(map);
    addAll(group, markers, spec.cluster);
    decorate(map, spec);
    gc.layer = group;
    gc.markers = markers;
    gc.ready = true;
  };

  /* Points over time: like points, plus ev.period (index into spec.periods, -1 undated). */
  gc.pointsTimeline = function (map, spec) {
    var ev = spec.events;
    var group = pointLayer(map, spec);
    var undated = pointLayer(map, { events: ev, cluster: spec.cluster });
    var byPeriod = spec.periods.map(function () { return []; });
    var all = [];
    var undatedMarkers = [];
    for (var i = 0; i < ev.lat.length; i++) {
      var m = marker(ev, i);
      all.push(m);
      if (ev.period[i] < 0) undatedMarkers.push(m);
      else byPeriod[ev.period[i]].push(m);
    }
    districtOutlines(map, spec.outlines);
    group.addTo(map);
    undated.addTo(map);
    addAll(undated, undatedMarkers, spec.cluster);
    decorate(map, spec);
    function show(index) {
      group.clearLayers();
      addAll(group, byPeriod[index], spec.cluster);
    }
    if (spec.periods.length) slider(map, spec.periods, show, spec.sliderLabel);
    gc.layer = group;
    gc.undated = undated;
    gc.markers = all;
    gc.ready = true;
  };
})();
