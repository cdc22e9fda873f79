/* shanhai-atlas page behaviour: geometry decoding, popups, legend, search, fitting the
   view, links to a county (#景宁), the theme switcher of the atlas page, printing; the
   keyboard (every control in the Tab order, Escape closes), names for screen readers and
   the table view (the map's facts as a table).
   Inlined into every page by geo/html.py; no network, no dependencies beyond Leaflet. */

var SCALE = 10000; /* coordinates are integers on a 1e-4 degree grid (geo/geometry.py) */

function shanhaiRing(r) {
  var out = [], x = 0, y = 0;
  for (var i = 0; i < r.length; i += 2) { x += r[i]; y += r[i + 1]; out.push([x / SCALE, y / SCALE]); }
  return out;
}

function shanhaiGeom(g) {
  var t = ["LineString", "MultiLineString", "Polygon", "MultiPolygon", "Point"][g[0]], c = g[1];
  if (g[0] === 4) { c = shanhaiRing(c)[0]; }
  else if (g[0] === 0) { c = shanhaiRing(c); }
  else if (g[0] === 3) { c = c.map(function (p) { return p.map(shanhaiRing); }); }
  else { c = c.map(shanhaiRing); }
  return {type: t, coordinates: c};
}

function shanhaiDecode(fs) {
  return {type: "FeatureCollection", features: fs.map(function (f) {
    return {type: "Feature", id: f[0], geometry: shanhaiGeom(f[1]), properties: f[2] || {}};
  })};
}

/* a point layer's feature: its marker (inline SVG made in Python, the legend's own) as an
   icon; out of the Tab order like the county shapes (the table view reaches them) */
function shanhaiMarker(f, latlng) {
  var m = (f.properties && f.properties.mk) || ["", 10];
  return L.marker(latlng, {keyboard: false, riseOnHover: true,
    icon: L.divIcon({className: "shanhai-marker", html: m[0], iconSize: [m[1], m[1]]})});
}

/* text for HTML built here: the popups arrive escaped from Python; what the page adds
   itself (its words, the page's own address) is escaped on the way in */
function shanhaiEsc(s) {
  return String(s === undefined || s === null ? "" : s).replace(/[&<>"']/g, function (c) {
    return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
  });
}

function shanhaiPopupHtml(p) {
  return p.map(function (sec, i) {
    var h = i === 0 ? "h4" : "h5";
    return "<" + h + ">" + sec[0] + "</" + h + ">" + (sec[1].length ? "<ul>" + sec[1].map(function (k) {
      return "<li>" + shanhaiLines[k] + "</li>";
    }).join("") + "</ul>" : "");
  }).join("");
}

/* a county's popup: its profile link under the heading (long clause lists scroll, the
   link must not scroll away with them), then the sections, then its link for copying */
function shanhaiPopupWithLinks(id, html) {
  var t = window.shanhaiText || {};
  if ((window.shanhaiProfiles || []).indexOf(id) >= 0) {
    var a = '<a class="shanhai-profile" href="county-' + encodeURIComponent(id) + '.html">' + shanhaiEsc(t.profile) + " →</a>";
    var i = html.indexOf("</h4>");
    html = i >= 0 ? html.slice(0, i + 5) + a + html.slice(i + 5) : a + html;
  }
  return html + shanhaiLinkHtml(id);
}

/* the text of a county's link: the page without its hash, then #short-name */
function shanhaiLinkHtml(id) {
  var keys = window.shanhaiKeys && window.shanhaiKeys[id];
  if (!keys) { return ""; }
  var short = keys.split("|")[1] || id;
  var url = location.href.split("#")[0] + "#" + encodeURIComponent(short);
  var t = window.shanhaiText || {};
  return '<div class="shanhai-link"><label>' + shanhaiEsc(t.link) + ' <input readonly value="' + shanhaiEsc(url) +
    '" onfocus="this.select()"></label> <button type="button" onclick="shanhaiCopy(this)">' + shanhaiEsc(t.copy) + "</button></div>";
}

function shanhaiCopy(button) {
  var input = button.parentNode.querySelector("input");
  input.select();
  var done = function () { button.textContent = (window.shanhaiText || {}).copied; };
  var command = function () {
    try { if (document.execCommand("copy")) { done(); } } catch (e) { /* the value stays selected for Ctrl+C */ }
  };
  // the older command where the clipboard refuses (a map in a frame, a browser's policy)
  if (navigator.clipboard && window.isSecureContext) { navigator.clipboard.writeText(input.value).then(done, command); }
  else { command(); }
}

function shanhaiBind(f, l, tips) {
  var t = tips[f.id] !== undefined ? tips[f.id] : (f.properties && f.properties.tt);
  if (t) { l.bindTooltip(t, {sticky: true, className: "shanhai-tip"}); }
  var p = (f.properties && f.properties.pp) || (shanhaiPopup[f.id] && shanhaiPopupHtml(shanhaiPopup[f.id]));
  if (p) {
    var narrow = window.innerWidth < 600;
    l.bindPopup(function () { return shanhaiPopupWithLinks(f.id, p); }, {
      maxWidth: narrow ? window.innerWidth - 60 : 420, maxHeight: narrow ? 300 : 360, className: "shanhai-popup",
      autoPanPaddingTopLeft: narrow ? [10, 90] : [60, 90], autoPanPaddingBottomRight: narrow ? [10, 40] : [300, 40]
    });
  }
}

/* The table view: the map's text alternative. One row per county of the list (name, city),
   what the visible layers say of it (their tooltips) and the facts of its popup with their
   sources. Built when opened, from the page's own data; the page's words go in as text. */
function shanhaiTableView(map, cfg, layers) {
  var t = cfg.text, box = map.getContainer(), spec = cfg.table || {};
  var id = cfg.legendId + "_table", button = null;
  var panel = document.createElement("section");
  panel.className = "shanhai-table"; panel.id = id; panel.hidden = true;
  panel.setAttribute("role", "region"); panel.setAttribute("aria-labelledby", id + "_h");
  var head = document.createElement("div"); head.className = "shanhai-table-head";
  var h = document.createElement("h2"); h.id = id + "_h"; h.tabIndex = -1; h.textContent = t.table_view;
  var close = document.createElement("button"); close.type = "button"; close.textContent = t.table_close;
  head.appendChild(h); head.appendChild(close); panel.appendChild(head);
  var holder = document.createElement("div"); panel.appendChild(holder);
  box.appendChild(panel);
  L.DomEvent.disableClickPropagation(panel);
  L.DomEvent.disableScrollPropagation(panel);

  function cell(tag, text) { var c = document.createElement(tag); c.textContent = text; return c; }
  /* a tooltip's rows (already escaped HTML from Python), read as text in an inert template */
  function tipPairs(html) {
    var tpl = document.createElement("template"); tpl.innerHTML = html;
    var rows = tpl.content.querySelectorAll("tr");
    if (!rows.length) {  /* a plain tooltip: its name in bold, then a line of text */
      var b = tpl.content.querySelector("b");
      if (b) { b.remove(); }
      var rest = tpl.content.textContent.trim();
      return rest ? [[rest, ""]] : [];
    }
    return Array.prototype.map.call(rows, function (r) {
      return [r.querySelector("th") ? r.querySelector("th").textContent : "", r.querySelector("td") ? r.querySelector("td").textContent : ""];
    });
  }
  function build() {
    var rows = spec.rows || Object.keys(cfg.keys).map(function (k) { return [k, cfg.keys[k].split("|")[0], ""]; });
    var said = {}, shown = [];
    Object.keys(layers).forEach(function (k) {
      var l = layers[k];
      if (!map.hasLayer(l)) { return; }
      if (spec.names && spec.names[k] && shown.indexOf(spec.names[k]) < 0) { shown.push(spec.names[k]); }
      if (!l.eachLayer) { return; }
      l.eachLayer(function (f) {
        var fid = f.feature && f.feature.id, tip = f.getTooltip && f.getTooltip();
        if (!fid || !tip) { return; }
        var c = tip.getContent();
        tipPairs(typeof c === "string" ? c : "").forEach(function (p) {
          if (p[0] === t.city || p[0] === t.membership) { return; }  /* a column; every row is on the list */
          var line = p[1] ? p[0] + (/[\u4e00-\u9fff]/.test(p[0]) ? "：" : ": ") + p[1] : p[0];
          var have = said[fid] = said[fid] || [];
          if (have.indexOf(line) < 0) { have.push(line); }
        });
      });
    });
    var table = document.createElement("table");
    var title = document.getElementById(cfg.titleId);
    table.appendChild(cell("caption", t.table_caption.replace("{title}", title ? title.textContent : "").replace("{n}", String(rows.length))));
    if (shown.length) { table.caption.appendChild(cell("span", t.table_layers.replace("{names}", shown.join(" · ")))); }
    var thead = table.createTHead().insertRow();
    [t.table_county, t.city, t.table_shown, t.table_details].forEach(function (x) {
      var th = cell("th", x); th.scope = "col"; thead.appendChild(th);
    });
    var body = table.createTBody(), profiles = cfg.profiles || [];
    rows.forEach(function (r) {
      var tr = body.insertRow(), th = document.createElement("th");
      th.scope = "row";
      if (profiles.indexOf(r[0]) >= 0) {
        var a = cell("a", r[1]); a.href = "county-" + encodeURIComponent(r[0]) + ".html"; th.appendChild(a);
      } else { th.textContent = r[1]; }
      tr.appendChild(th);
      tr.appendChild(cell("td", r[2]));
      var s = tr.insertCell(), list = said[r[0]] || [];
      if (list.length) {
        var ul = document.createElement("ul");
        list.forEach(function (x) { ul.appendChild(cell("li", x)); });
        s.appendChild(ul);
      }
      /* the popup's facts and sources: the same escaped HTML the popup shows */
      var d = tr.insertCell(), secs = (window.shanhaiPopup || {})[r[0]];
      if (secs) {
        d.innerHTML = secs.map(function (sec, i) {
          var items = sec[1].length ? "<ul>" + sec[1].map(function (k) { return "<li>" + shanhaiLines[k] + "</li>"; }).join("") + "</ul>" : "";
          return (i ? '<p class="sec">' + sec[0] + "</p>" : "") + items;
        }).join("");
      }
    });
    holder.innerHTML = "";
    holder.appendChild(table);
  }
  /* while the table is open the map behind it is out of reach (it is covered) */
  function others(on) {
    Array.prototype.forEach.call(box.children, function (el) {
      if (el !== panel) { if (on) { el.removeAttribute("inert"); } else { el.setAttribute("inert", ""); } }
    });
  }
  function open() {
    build();
    panel.hidden = false; others(false);
    button.setAttribute("aria-expanded", "true");
    h.focus({preventScroll: true});
  }
  function shut() {
    if (panel.hidden) { return; }
    panel.hidden = true; others(true);
    button.setAttribute("aria-expanded", "false");
    button.focus({preventScroll: true});
  }
  close.addEventListener("click", shut);
  panel.addEventListener("keydown", function (e) { if (e.key === "Escape") { e.preventDefault(); shut(); } });
  var Btn = L.Control.extend({
    options: {position: "topleft"},
    onAdd: function () {
      button = L.DomUtil.create("button", "shanhai-table-toggle leaflet-bar");
      button.type = "button"; button.textContent = t.table_view;
      button.setAttribute("aria-expanded", "false"); button.setAttribute("aria-controls", id);
      L.DomEvent.disableClickPropagation(button);
      button.addEventListener("click", function () { if (panel.hidden) { open(); } else { shut(); } });
      return button;
    }
  });
  new Btn().addTo(map);
  window.shanhaiTable = {open: open, close: shut, panel: panel};
}

/* Title, legend, search, full screen, fitting, links and (atlas page) the theme switcher. */
function shanhaiChrome(map, cfg) {
  var layers = cfg.layers;
  var legend = document.getElementById(cfg.legendId);
  var title = document.querySelector(".shanhai-title");
  var narrow = function () { return map.getContainer().clientWidth < 600; };
  /* the title, legend and source sit on the map itself (a map need not fill the page) */
  [title, legend, document.querySelector(".shanhai-source")].forEach(function (el) {
    if (el) { map.getContainer().appendChild(el); L.DomEvent.disableClickPropagation(el); L.DomEvent.disableScrollPropagation(el); }
  });
  L.control.scale({imperial: false}).addTo(map);  /* kilometres only: the maps are read in China */
  var t = cfg.text, box0 = map.getContainer();
  /* the map is a region named by its title, which a screen reader meets first */
  box0.setAttribute("role", "region");
  box0.setAttribute("aria-labelledby", cfg.titleId);
  box0.insertBefore(title, box0.firstChild);
  var tools = box0.querySelector(".leaflet-control-container");
  tools.setAttribute("role", "group");
  tools.setAttribute("aria-label", t.map_tools);
  if (map.zoomControl) {  /* Leaflet's own is in English */
    map.removeControl(map.zoomControl);
    map.zoomControl = L.control.zoom({zoomInTitle: t.zoom_in, zoomOutTitle: t.zoom_out}).addTo(map);
  }
  /* Chromium puts every polygon with a tooltip in the Tab order (a hundred stops before the
     first control): the search and the table view reach the counties instead */
  var untab = function (l) {
    var el = l.getElement && l.getElement();
    if (el && el.tagName.toLowerCase() === "path") { el.setAttribute("tabindex", "-1"); }
  };
  map.eachLayer(untab);
  map.on("layeradd", function (e) { untab(e.layer); });
  window.shanhaiText = cfg.text;
  window.shanhaiKeys = cfg.keys;
  window.shanhaiProfiles = cfg.profiles || [];

  function sync() {
    legend.querySelectorAll("[data-layer]").forEach(function (sec) {
      var l = layers[sec.getAttribute("data-layer")];
      sec.style.display = (l && map.hasLayer(l)) ? "" : "none";
    });
  }
  map.on("overlayadd overlayremove baselayerchange layeradd layerremove", sync);

  /* the legend folds into a button on a phone */
  var toggle = document.createElement("button");
  toggle.type = "button"; toggle.className = "shanhai-legend-toggle"; toggle.textContent = cfg.text.legend;
  toggle.setAttribute("aria-expanded", "true");
  toggle.setAttribute("aria-controls", cfg.legendId);
  map.getContainer().insertBefore(toggle, legend);
  toggle.addEventListener("click", function () {
    var open = legend.classList.toggle("open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });

  var Search = L.Control.extend({
    options: {position: "topleft"},
    onAdd: function () {
      var box = L.DomUtil.create("div", "shanhai-search leaflet-bar");
      box.setAttribute("role", "search");
      box.setAttribute("aria-label", cfg.text.search);
      var input = L.DomUtil.create("input", "", box);
      input.type = "search"; input.placeholder = cfg.text.search; input.setAttribute("aria-label", cfg.text.search);
      input.setAttribute("list", cfg.legendId + "_names");
      var list = L.DomUtil.create("datalist", "", box); list.id = cfg.legendId + "_names";
      cfg.names.forEach(function (n) { var o = document.createElement("option"); o.value = n; list.appendChild(o); });
      L.DomEvent.disableClickPropagation(box);
      var last = null;  /* Enter, then the change event as focus leaves: one search */
      var go = function () {
        if (input.value === last && map._popup && map._popup.isOpen()) { return; }
        last = input.value;
        if (find(input.value)) { focusPopup(input); }
      };
      input.addEventListener("keydown", function (e) { if (e.key === "Enter") { go(); } });
      input.addEventListener("change", go);
      /* a name picked from the suggestions (keyboard or mouse) */
      input.addEventListener("input", function (e) { if (!e.inputType || e.inputType === "insertReplacementText") { go(); } });
      return box;
    }
  });
  function norm(s) { return (s || "").toLowerCase().replace(/[\s'’·-]/g, ""); }
  function find(q) {
    q = norm(q); if (!q) { return null; }
    var hit = null, exact = null;
    Object.keys(layers).forEach(function (k) {
      var l = layers[k]; if (!map.hasLayer(l) || !l.eachLayer) { return; }
      l.eachLayer(function (f) {
        if (!f.feature || !cfg.keys[f.feature.id] || !f.getPopup() || !f.getBounds) { return; }  /* a county, not a marker in it */
        var keys = cfg.keys[f.feature.id].split("|").map(norm);
        if (keys.indexOf(q) >= 0) { exact = exact || f; }
        else if (keys.some(function (x) { return x.indexOf(q) === 0; })) { hit = hit || f; }
      });
    });
    var f = exact || hit;
    if (f) { map.fitBounds(f.getBounds(), {maxZoom: 10, paddingTopLeft: [0, padTop()], animate: !reduced()}); f.openPopup(); }
    return f;
  }
  /* a popup is a dialog named by its heading: Escape closes it and focus goes back to
     where it came from (the search box) */
  var popupFrom = null;
  function focusPopup(from) {
    var el = map._popup && map._popup.getElement();
    if (!el) { return; }
    popupFrom = from;
    var content = el.querySelector(".leaflet-popup-content");
    content.setAttribute("tabindex", "-1");
    content.focus({preventScroll: true});
  }
  map.on("popupopen", function (e) {
    var el = e.popup.getElement(), h = el.querySelector("h4");
    el.setAttribute("role", "dialog");
    if (h) { h.id = cfg.legendId + "_popup"; el.setAttribute("aria-labelledby", h.id); }
    var x = el.querySelector(".leaflet-popup-close-button");
    if (x) { x.setAttribute("aria-label", t.close); x.title = t.close; }
    if (!el._shanhaiKeys) {
      el._shanhaiKeys = true;
      el.addEventListener("keydown", function (k) {
        if (k.key === "Escape") { k.preventDefault(); k.stopPropagation(); map.closePopup(); }
      });
    }
  });
  map.on("popupclose", function (e) {
    var el = e.popup.getElement(), from = popupFrom;
    popupFrom = null;
    if (from && (!document.activeElement || document.activeElement === document.body || (el && el.contains(document.activeElement)))) {
      from.focus({preventScroll: true});
    }
  });
  function reduced() { return !!(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches); }
  window.shanhaiFind = find;
  window.shanhaiMap = map;
  window.shanhaiLayers = layers;
  if (map.attributionControl) { map.attributionControl.setPrefix("Leaflet"); }
  new Search().addTo(map);

  var Full = L.Control.extend({
    options: {position: "topleft"},
    onAdd: function () {
      var a = L.DomUtil.create("button", "shanhai-fullscreen leaflet-bar");
      a.type = "button"; a.title = cfg.text.fullscreen;
      a.setAttribute("aria-label", cfg.text.fullscreen);
      a.innerHTML = '<svg width="16" height="16" viewBox="0 0 16 16" fill="none" stroke="#333" stroke-width="2" aria-hidden="true" focusable="false"><path d="M1 6V1h5M10 1h5v5M15 10v5h-5M6 15H1v-5"/></svg>';
      L.DomEvent.on(a, "click", function (e) {
        L.DomEvent.preventDefault(e);
        if (document.fullscreenElement) { document.exitFullscreen(); }
        else if (map.getContainer().requestFullscreen) { map.getContainer().requestFullscreen(); }
      });
      return a;
    }
  });
  new Full().addTo(map);
  shanhaiTableView(map, cfg, layers);

  /* the atlas page: one entry per theme, that theme's own layers underneath */
  var control = cfg.control;
  if (cfg.themes) {
    var Themes = L.Control.extend({
      options: {position: "topright"},
      onAdd: function () {
        var box = L.DomUtil.create("div", "leaflet-control-layers leaflet-control-layers-expanded shanhai-themes");
        box.setAttribute("role", "group");
        box.setAttribute("aria-label", t.themes);
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        this._box = box;
        this.render();
        return box;
      },
      render: function () {
        var box = this._box, self = this;
        box.innerHTML = "";
        cfg.themes.forEach(function (th, i) {
          var row = L.DomUtil.create("label", "shanhai-theme", box);
          var r = L.DomUtil.create("input", "", row);
          r.type = "radio"; r.name = cfg.legendId + "_theme"; r.checked = i === cfg.active; r.value = th.id;
          row.appendChild(document.createTextNode(" " + th.label));
          r.addEventListener("change", function () { self.activate(i); });
          if (i !== cfg.active) { return; }
          var sub = L.DomUtil.create("div", "shanhai-theme-layers", box);
          th.layers.forEach(function (ly) {
            var lab = L.DomUtil.create("label", "", sub);
            var inp = L.DomUtil.create("input", "", lab);
            inp.type = ly.base ? "radio" : "checkbox";
            inp.name = cfg.legendId + "_" + th.id;
            inp.checked = ly.on;
            lab.appendChild(document.createTextNode(" " + ly.name));
            inp.addEventListener("change", function () {
              if (ly.base) { th.layers.forEach(function (o) { if (o.base) { o.on = o === ly; } }); }
              else { ly.on = inp.checked; }
              self.apply();
            });
          });
        });
      },
      activate: function (i) {
        var had = this._box.contains(document.activeElement);
        cfg.active = i; this.apply(); this.render();
        if (had) { this._box.querySelectorAll(".shanhai-theme input")[i].focus(); }
      },
      apply: function () {
        cfg.themes.forEach(function (th, i) {
          th.layers.forEach(function (ly) {
            var l = layers[ly.v];
            if (i === cfg.active && ly.on) { if (!map.hasLayer(l)) { map.addLayer(l); } }
            else if (map.hasLayer(l) && !(ly.shared && cfg.themes[cfg.active].layers.some(function (o) { return o.v === ly.v && o.on; }))) { map.removeLayer(l); }
          });
        });
        sync();
      },
      collapse: function () {},
      expand: function () {}
    });
    control = new Themes();
    control.addTo(map);
    window.shanhaiThemes = control;
  } else if (control && control.getContainer) {  /* the layer control, named in the page's language */
    var lc = control.getContainer();
    lc.setAttribute("role", "group");
    lc.setAttribute("aria-label", t.layers);
    var lt = lc.querySelector(".leaflet-control-layers-toggle");
    if (lt) { lt.title = t.layers; lt.setAttribute("aria-label", t.layers); }
  }

  /* the year slider (status and atlas pages, an indicator over time): restyle by year, no reload */
  var yearBox = null;
  if (cfg.years) {
    var Y = cfg.years, yt = Y.text;
    var stateIn = function (e, y) {
      if (y === null) { return e[0] !== null || (e[2] && e[1] === null) ? "named" : "proposed"; }
      if (e[0] !== null && e[0] <= y) { return "named"; }
      if (e[1] !== null && e[1] <= y) { return "proposed"; }
      return e[2] ? "unknown" : "";
    };
    var applyYear = function (y) {
      Object.keys(layers).forEach(function (k) {
        var l = layers[k], tl = l.shanhaiTimeline;
        if (!tl) { return; }
        if (!l._shanhaiAll) { l._shanhaiAll = l.getLayers(); }
        var counts = {named: 0, proposed: 0};
        l._shanhaiAll.forEach(function (f) {
          var st = stateIn(tl.entries[f.feature.id], y);
          if (st === "") { if (l.hasLayer(f)) { l.removeLayer(f); } return; }
          if (!l.hasLayer(f)) { l.addLayer(f); }
          f.setStyle(tl[st === "unknown" ? "unknown" : st]);
          if (counts[st] !== undefined) { counts[st] += 1; }
        });
        legend.querySelectorAll('section[data-layer="' + k + '"] .n').forEach(function (n) {
          var s = n.getAttribute("data-state");
          if (counts[s] !== undefined) { n.textContent = "(" + counts[s] + ")"; }
        });
      });
      /* an indicator over time: each year's colours (one classification for all years),
         tooltips and class counts */
      Object.keys(layers).forEach(function (k) {
        var l = layers[k], fr = l.shanhaiFrames;
        if (!fr || y === null) { return; }
        var key = String(y), fill = fr.fill[key] || {}, tip = fr.tip[key] || {}, counts = fr.counts[key] || {};
        l.eachLayer(function (f) {
          var id = f.feature && f.feature.id;
          if (fill[id] !== undefined) { f.setStyle({fillColor: fill[id]}); }
          if (tip[id] !== undefined && f.getTooltip()) { f.setTooltipContent(tip[id]); }
        });
        legend.querySelectorAll('section[data-layer="' + k + '"] .n').forEach(function (n) {
          var s = n.getAttribute("data-state");
          if (counts[s] !== undefined) { n.textContent = "(" + counts[s] + ")"; }
        });
      });
      window.shanhaiYear = y;
    };
    var hasAll = Y.all !== false;  /* status: a last position shows every year */
    var last = hasAll ? Y.list.length : Y.list.length - 1;
    var YearBox = L.Control.extend({
      options: {position: "bottomleft"},
      onAdd: function () {
        var box = L.DomUtil.create("div", "shanhai-years leaflet-bar");
        box.setAttribute("role", "group");
        box.setAttribute("aria-label", yt.year_label);
        L.DomEvent.disableClickPropagation(box);
        var label = L.DomUtil.create("label", "", box);
        label.textContent = yt.year_label + " ";
        var range = L.DomUtil.create("input", "", label);
        range.type = "range"; range.min = 0; range.max = last; range.step = 1;
        range.setAttribute("aria-label", yt.year_label);
        var out = L.DomUtil.create("output", "", box);
        var play = L.DomUtil.create("button", "", box);
        play.type = "button";
        /* with reduced motion the years do not run by themselves: each press shows the next */
        var idle = function () { play.textContent = reduced() ? yt.next_year + " ▸" : "▶ " + yt.play; };
        idle();
        if (window.matchMedia) {
          var mq = window.matchMedia("(prefers-reduced-motion: reduce)");
          if (mq.addEventListener) { mq.addEventListener("change", function () { stop(); }); }
        }
        if (Y.unknown !== null && Y.unknown !== undefined) {
          var note = L.DomUtil.create("div", "shanhai-years-note", box);
          note.textContent = yt.year_unknown + ": " + Y.unknown;
        }
        var show = function () {
          var i = +range.value, y = i >= Y.list.length ? null : Y.list[i];
          out.textContent = y === null ? yt.all_years : String(y);
          range.setAttribute("aria-valuetext", out.textContent);
          applyYear(y);
        };
        range.addEventListener("input", show);
        var timer = null;
        var stop = function () { clearInterval(timer); timer = null; idle(); };
        range.addEventListener("keydown", function () { if (timer) { stop(); } });
        play.addEventListener("click", function () {
          if (timer) { stop(); return; }
          if (reduced()) { range.value = (+range.value + 1) % (last + 1); show(); return; }
          if (+range.value >= last) { range.value = 0; show(); }
          play.textContent = "❚❚ " + yt.pause;
          timer = setInterval(function () {
            if (+range.value >= last) { stop(); return; }
            range.value = +range.value + 1; show();
            if (+range.value >= last) { stop(); }  /* the last year reached: ready to play again */
          }, 900);
        });
        var start = Y.start === null ? last : Math.max(0, Y.list.indexOf(Y.start));
        range.value = start;
        this.range = range; this.show = show;
        setTimeout(show, 0);
        return box;
      }
    });
    yearBox = new YearBox();
    yearBox.addTo(map);
    window.shanhaiSetYear = function (y) {
      yearBox.range.value = y === null ? last : Y.list.indexOf(y);
      yearBox.show();
    };
  }

  /* fit the counties in what the title, legend and layer control leave free */
  function padTop() {
    var c = map.getContainer().getBoundingClientRect(), t = title.getBoundingClientRect();
    return Math.max(10, t.bottom - c.top + 8);
  }
  function fit() {
    var c = map.getContainer().getBoundingClientRect();
    var right = 10, bottom = 24;
    if (!narrow()) {
      var l = legend.getBoundingClientRect();
      var ctl = map.getContainer().querySelector(".leaflet-top.leaflet-right");
      var w = Math.max(l.width, ctl ? ctl.getBoundingClientRect().width : 0);
      right = w + 20;
    } else {
      bottom = Math.max(bottom, c.bottom - toggle.getBoundingClientRect().top + 8);
    }
    var years = map.getContainer().querySelector(".shanhai-years");
    if (years) { bottom = Math.max(bottom, c.bottom - years.getBoundingClientRect().top + 8); }
    /* at once, not animated: the first view is the map, not a zoom into it */
    map.fitBounds(cfg.bounds, {paddingTopLeft: [narrow() ? 10 : 56, padTop()], paddingBottomRight: [right, bottom], animate: false});
  }
  window.shanhaiFit = fit;

  function layout() {
    document.body.classList.toggle("shanhai-narrow", narrow());
    if (narrow()) {
      legend.classList.remove("open");
      toggle.setAttribute("aria-expanded", "false");
      if (control && control.collapse) { control.collapse(); }
    } else {
      legend.classList.add("open");
      if (control && control.expand) { control.expand(); }
    }
    /* a source line of several lines (an indicator's citations) pushes the legend up, not under it */
    var src = document.querySelector(".shanhai-source");
    var need = src && !narrow() ? src.getBoundingClientRect().height + 8 : 0;
    legend.style.bottom = need > 28 ? need + "px" : "";
    /* a phone: the source line is a band along the bottom; the scale, the year slider and the
       legend's button stand above it side by side, and the open legend above them all */
    var foot = src && narrow() ? src.getBoundingClientRect().height + 6 : 0;
    map.getContainer().querySelectorAll(".leaflet-bottom").forEach(function (b) { b.style.bottom = foot ? foot + "px" : ""; });
    var right = map.getContainer().querySelector(".leaflet-bottom.leaflet-right");
    toggle.style.bottom = foot ? foot + (right ? right.offsetHeight : 0) + 6 + "px" : "";
    if (narrow()) {
      var left = map.getContainer().querySelector(".leaflet-bottom.leaflet-left");
      var under = Math.max(parseFloat(toggle.style.bottom || "28") + toggle.offsetHeight, foot + (left ? left.offsetHeight : 0));
      legend.style.bottom = under + 8 + "px";
    }
  }
  layout();
  sync();
  fit();
  /* on a phone an open popup takes the screen: the controls step aside */
  map.on("popupopen", function () { document.body.classList.add("shanhai-popup-open"); });
  map.on("popupclose", function () { document.body.classList.remove("shanhai-popup-open"); });

  /* a link to a county: page.html#景宁 (or its code) zooms to it and opens its popup */
  function follow() {
    if (location.hash.length > 1) { find(decodeURIComponent(location.hash.slice(1))); }
  }
  window.addEventListener("hashchange", follow);
  /* a county's own page: the view fits the county and its partners */
  if (cfg.focus && location.hash.length <= 1) {
    var fb = null;
    Object.keys(layers).forEach(function (k) {
      var l = layers[k]; if (!map.hasLayer(l) || !l.eachLayer) { return; }
      l.eachLayer(function (f) {
        if (f.feature && cfg.focus.indexOf(f.feature.id) >= 0 && f.getBounds) {
          fb = fb ? fb.extend(f.getBounds()) : L.latLngBounds(f.getBounds().getSouthWest(), f.getBounds().getNorthEast());
        }
      });
    });
    if (fb) { map.fitBounds(fb, {paddingTopLeft: [56, padTop()], paddingBottomRight: [20, 30]}); }
    /* the other counties' links step back, so the county's own stand out */
    Object.keys(layers).forEach(function (k) {
      var l = layers[k]; if (!l.eachLayer) { return; }
      l.eachLayer(function (f) {
        var ends = f.feature && f.feature.properties && f.feature.properties.ends;
        if (ends && ends.indexOf(cfg.focus[0]) < 0 && f.setStyle) { f.setStyle({opacity: 0.15, fillOpacity: 0.15}); }
        else if (ends && ends.indexOf(cfg.focus[0]) < 0 && f.setOpacity) { f.setOpacity(0.25); }
      });
    });
  }
  follow();

  /* printing: the whole province on one page */
  window.addEventListener("beforeprint", function () { map.invalidateSize(false); fit(); });
  window.addEventListener("afterprint", function () { map.invalidateSize(false); fit(); });
}
