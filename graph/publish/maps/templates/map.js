// dealgraph map page: filters, search box, cards, legend and CSV export over the renderer (map.draw.js)
// and the name matcher (map.search.js).
// Every string from the data goes into the page as text (textContent), never parsed as HTML.
// The filter rules are graph/publish/maps/filters.py's; which nodes and lines stay visible is
// graph/publish/maps/visible.py's (the tests compare the two).
(function () {
  "use strict";
  performance.mark("dealgraph:start");
  var data = JSON.parse(document.getElementById("map-data").textContent);
  performance.mark("dealgraph:parsed");
  var N = data.nodes, E = data.edges, D = data.deals, S = data.scale;
  var index = {};
  N.forEach(function (n, i) { index[n.id] = i; });
  E.forEach(function (e, i) {           // the full line record from its compact form (render.page_data)
    e.id = "e" + i; e.from = N[e.s].id; e.to = N[e.t].id;
    e.kind = e.kind || "deal"; e.directed = !e.undirected;
  });
  // Each deal's record is restored from its compact form (render.compact_deal) in two steps: what
  // the filters and lines need, before the first frame; names of the parties (cards, CSV), after
  // it, or on first use (so a large map is drawn sooner).
  var TEXTS = ["title", "date", "note"], LISTS = ["assets", "asset_ids", "codes", "modality_families", "sources",
               "givers", "takers"], NULLS = ["year", "headline_usd", "upfront_usd"];
  Object.keys(D).forEach(function (k) {
    var d = D[k], f;
    d.id = k;
    for (f = 0; f < TEXTS.length; f++) { if (d[TEXTS[f]] === undefined) { d[TEXTS[f]] = ""; } }
    for (f = 0; f < LISTS.length; f++) { if (d[LISTS[f]] === undefined) { d[LISTS[f]] = []; } }
    for (f = 0; f < NULLS.length; f++) { if (d[NULLS[f]] === undefined) { d[NULLS[f]] = null; } }
    d.type_label = data.types[d.type]; d.family = data.type_family[d.type];
    d.direction = { mainland: d.dir[0], greater: d.dir[1] };
    d.money = { headline: d.headline_usd === null ? 0 : Number(d.headline_usd),
                upfront: d.upfront_usd === null ? 0 : Number(d.upfront_usd) };
  });
  var restored = false;
  function restoreParties() {
    if (restored) { return; }
    restored = true;
    Object.keys(D).forEach(function (k) {
      var d = D[k], seen = {};
      d.party_ids = [];
      d.parties = d.parties.map(function (p) {
        p[1].forEach(function (o) { if (!seen[o]) { seen[o] = true; d.party_ids.push([o, data.org_names[o] || o]); } });
        return [p[0], p[1].map(function (o) { return data.org_names[o] || o; }).join(", ")];
      });
    });
  }
  var state = { ready: false, readyAt: null, selected: null, visibleDeals: {}, pinned: null };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  function $(id) { return document.getElementById(id); }

  // ---------------------------------------------------------------- exact money (BigInt cents)
  function cents(s) {
    if (s === null || s === undefined) { return null; }
    var p = String(s).split("."), frac = ((p[1] || "") + "00").slice(0, 2);
    return BigInt(p[0]) * 100n + BigInt(frac);
  }
  function usd(c) {                    // exact words for a sum: 'USD 1.97 billion'
    var neg = c < 0n; if (neg) { c = -c; }
    function part(unit, word) {
      var whole = c / unit, rest = c % unit, s = whole.toString();
      if (rest) { s += "." + (unit + rest).toString().slice(1).replace(/0+$/, ""); }
      return "USD " + s.replace(/\B(?=(\d{3})+(?!\d))/, ",") + word;
    }
    if (c >= 100000000000n) { return part(100000000000n, " billion"); }
    if (c >= 100000000n) { return part(100000000n, " million"); }
    return part(100n, "");
  }

  // ---------------------------------------------------------------- renderer
  var canvas = $("map");
  var tip = $("tip");
  var R = new window.DealgraphRenderer(canvas, {
    fastEdgeLimit: data.fast_edge_limit, sizePower: N.length <= 1500 ? 1 : 0.5,
    onHover: hover, onClick: click,
    onDraw: function () { if (!state.ready) { markReady(); } }
  });
  var byImportance = N.map(function (n, i) { return i; }).filter(function (i) { return N[i].kind === "organization"; })
    .sort(function (a, b) { return N[b].importance - N[a].importance || N[b].r - N[a].r; });
  var forced = {};
  byImportance.slice(0, data.forced_labels).forEach(function (i) { if (N[i].importance > 0) { forced[i] = true; } });
  R.nodes = N.map(function (n, i) {
    return { x: n.x, y: n.y, r: n.r, colour: "#999", visible: true, dim: false, label: n.label,
             shape: n.focus ? "star" : n.kind === "asset" ? "diamond" : "dot", ring: !!n.multinational,
             focus: !!n.focus, forced: !!(forced[i] || n.focus),
             priority: (n.focus ? 1e18 : 0) + (forced[i] ? 1e16 : 0) + n.importance + n.r };
  });
  var pairs = new Map();                // lines between the same two nodes, keyed by the pair's numbers
  E.forEach(function (e, i) {
    var a = Math.min(e.s, e.t) * N.length + Math.max(e.s, e.t), list = pairs.get(a);
    if (list) { list.push(i); } else { pairs.set(a, [i]); }
  });
  R.edges = E.map(function (e) {
    return { s: index[e.from], t: index[e.to], width: 1, colour: "#999", visible: true, dim: false,
             directed: !!e.directed, dotted: e.kind !== "deal", text: "", value: 0, bend: 0 };
  });
  pairs.forEach(function (list) {
    var m = list.length;
    if (m < 2) { return; }
    list.forEach(function (i, j) {
      var sign = E[i].from < E[i].to ? 1 : -1;
      R.edges[i].bend = sign * (j - (m - 1) / 2) * 0.7;
    });
  });
  performance.mark("dealgraph:datasets");

  // ---------------------------------------------------------------- filters
  var F = {};
  function option(sel, value, text) { var o = el("option", null, text); o.value = value; sel.appendChild(o); }
  function setupFilters() {
    var years = {};
    Object.keys(D).forEach(function (k) { if (D[k].year) { years[D[k].year] = true; } });
    var ys = Object.keys(years).sort();
    option($("f-from"), "", "any"); option($("f-to"), "", "any");
    ys.forEach(function (y) { option($("f-from"), y, y); option($("f-to"), y, y); });
    var fs = $("f-families");
    data.families.forEach(function (f) {
      var l = el("label", "check fam"), c = el("input");
      c.type = "checkbox"; c.checked = c.defaultChecked = true; c.value = f[0]; c.className = "f-family";
      var sw = el("span", "swatch"); sw.style.background = f[2];
      l.appendChild(c); l.appendChild(sw); l.appendChild(document.createTextNode(f[1]));
      fs.appendChild(l);
    });
    option($("f-type"), "", "any type");
    Object.keys(data.types).forEach(function (t) { option($("f-type"), t, data.types[t]); });
    option($("f-direction"), "", "any direction");
    Object.keys(data.directions).forEach(function (d) { option($("f-direction"), d, data.directions[d]); });
    option($("f-min"), "", "any, disclosed or not");
    [["0", "any disclosed value"], ["100000000", "USD 100 million"], ["500000000", "USD 500 million"],
     ["1000000000", "USD 1 billion"], ["5000000000", "USD 5 billion"]].forEach(function (o) { option($("f-min"), o[0], o[1]); });
    option($("f-modality"), "", "any modality");
    Object.keys(data.modality_families).forEach(function (m) { option($("f-modality"), m, data.modality_families[m]); });
    data.schemes.forEach(function (s) { option($("f-colour"), s, data.palettes[s].title.replace("Colour: ", "")); });
    $("f-colour").value = data.colour_by;
    $("f-china").value = data.greater_china ? "greater" : "mainland";
    $("filters").addEventListener("change", apply);
    $("f-reset").addEventListener("click", function () {
      $("filters").reset();
      $("f-colour").value = data.colour_by; $("f-china").value = data.greater_china ? "greater" : "mainland";
      apply();
    });
    $("export").addEventListener("click", download);
  }
  function readFilters() {
    var fams = {};
    Array.prototype.forEach.call(document.querySelectorAll(".f-family"), function (c) { if (c.checked) { fams[c.value] = true; } });
    F = { from: $("f-from").value ? +$("f-from").value : null, to: $("f-to").value ? +$("f-to").value : null,
          undated: $("f-undated").checked, families: fams, type: $("f-type").value, direction: $("f-direction").value,
          min: $("f-min").value === "" ? null : Number($("f-min").value), modality: $("f-modality").value,
          china: $("f-china").value, colour: $("f-colour").value, width: $("f-width").value };
  }
  function passes(d) {
    if (d.year === null || d.year === undefined) { if (!F.undated) { return false; } }
    else if ((F.from !== null && d.year < F.from) || (F.to !== null && d.year > F.to)) { return false; }
    if (!F.families[d.family]) { return false; }
    if (F.type && data.type_ancestors[d.type].indexOf(F.type) < 0) { return false; }
    if (F.direction && d.direction[F.china] !== F.direction) { return false; }
    if (F.min !== null && (d.headline_usd === null || d.headline_usd === undefined || Number(d.headline_usd) < F.min)) { return false; }
    if (F.modality && d.modality_families.indexOf(F.modality) < 0) { return false; }
    return true;
  }
  function familyColour(key) {
    for (var i = 0; i < data.families.length; i++) { if (data.families[i][0] === key) { return data.families[i][2]; } }
    return "#6b6b6b";
  }
  function widthFor(money, count) {
    if (F.width === "count") { return 1.5 + 1.5 * Math.log2(Math.max(1, count)); }
    if (!money || money <= 0) { return S.min; }
    var lo = Math.log10(S.floor), hi = Math.log10(S.top);
    var x = (Math.log10(Math.max(Math.min(money, S.top), S.floor)) - lo) / (hi - lo);
    return S.min + 1 + (S.max - S.min - 1) * x;
  }
  function nodeColour(n) {
    var scheme = F.colour;
    if (n.kind === "asset") { return data.palettes.asset.groups[0][2]; }
    var key = n.groups[scheme];
    if (scheme === "side") {
      key = (F.china === "greater" ? n.greater_china : n.china) ? "china" : n.multinational ? "multinational" : "other";
    }
    var gs = data.palettes[scheme].groups;
    for (var i = 0; i < gs.length; i++) { if (gs[i][0] === key) { return gs[i][2]; } }
    return "#c4c9d2";
  }
  function groupLabel(n) {
    if (n.kind === "asset") { return "Asset"; }
    var key = F.colour === "side" ? ((F.china === "greater" ? n.greater_china : n.china) ? "china" : n.multinational ? "multinational" : "other") : n.groups[F.colour];
    var gs = data.palettes[F.colour].groups;
    for (var i = 0; i < gs.length; i++) {
      if (gs[i][0] === key) { return key === "china" && F.china === "greater" ? data.palettes.side.greater_china : gs[i][1]; }
    }
    return "";
  }

  function apply() {
    readFilters();
    var vis = {}, hiddenDeals = 0, hiddenUndated = 0;
    Object.keys(D).forEach(function (k) {
      if (passes(D[k])) { vis[k] = true; } else { hiddenDeals++; if (!D[k].date) { hiddenUndated++; } }
    });
    state.visibleDeals = vis;
    var nodeVis = N.map(function (n) { return !!n.focus || (n.solo || []).some(function (d) { return vis[d]; }); });
    E.forEach(function (e, i) {
      var r = R.edges[i];
      if (e.kind !== "deal") { return; }
      var shown = e.deals.filter(function (d) { return vis[d]; });
      r.visible = shown.length > 0;
      if (!r.visible) { return; }
      nodeVis[r.s] = nodeVis[r.t] = true;
      var fam = {}, money = 0, up = F.width === "upfront";
      shown.forEach(function (d) {
        var x = D[d];
        money += up ? x.money.upfront : x.money.headline;
        var f = fam[x.family] = fam[x.family] || [0, 0];
        f[0] += x.money.headline; f[1] += 1;
      });
      var best = null;
      data.families.forEach(function (f) {
        var s = fam[f[0]];
        if (s && (!best || s[0] > best[1][0] || (s[0] === best[1][0] && s[1] > best[1][1]))) { best = [f[0], s]; }
      });
      r.colour = familyColour(best ? best[0] : "other");
      r.width = widthFor(money, shown.length);
      r.value = money;
      r.text = "";
      if (F.width !== "count" && money >= S.label) {    // the exact sum, in cents, only where it is written
        var head = 0n, single = null;
        shown.forEach(function (d) {
          var c = cents(up ? D[d].upfront_usd : D[d].headline_usd);
          if (c !== null) { head += c; single = single === null ? D[d] : false; }
        });
        r.text = single ? (up ? single.upfront : single.headline)
          : usd(head) + (up ? " upfront" : "") + " (" + shown.length + " deals)";
      }
    });
    E.forEach(function (e, i) {          // corporate links and asset origins follow what they touch
      var r = R.edges[i];
      if (e.kind === "deal") { return; }
      var st = data.link_styles[e.kind] || ["", "#777"];
      r.colour = st[1]; r.width = 1.2;
      r.visible = nodeVis[r.s] || nodeVis[r.t];
    });
    E.forEach(function (e, i) { var r = R.edges[i]; if (e.kind !== "deal" && r.visible) { nodeVis[r.s] = nodeVis[r.t] = true; } });
    var hiddenOrgs = 0;
    N.forEach(function (n, i) {
      R.nodes[i].visible = nodeVis[i];
      R.nodes[i].colour = nodeColour(n);
      if (!nodeVis[i] && n.kind === "organization") { hiddenOrgs++; }
    });
    state.hidden = { deals: hiddenDeals, undated: hiddenUndated, organizations: hiddenOrgs };
    $("hidden").textContent = hiddenDeals || hiddenOrgs
      ? "hidden: " + hiddenDeals + (hiddenDeals === 1 ? " deal" : " deals") + ", " + hiddenUndated + " undated; "
        + hiddenOrgs + (hiddenOrgs === 1 ? " organization" : " organizations")
      : "showing all " + Object.keys(D).length + " deals";
    if (state.selected) { highlight(state.selected.nodes, state.selected.edges); } else { highlight(null); }
    legend();
  }

  // ---------------------------------------------------------------- selection (dim all but a neighbourhood)
  function highlight(nodes, edges) {
    if (!nodes) {
      state.selected = null;
      R.nodes.forEach(function (n) { n.dim = false; });
      R.edges.forEach(function (e) { e.dim = false; });
    } else {
      state.selected = { nodes: nodes, edges: edges };
      var keepN = {}, keepE = {};
      nodes.forEach(function (i) { keepN[i] = true; });
      (edges || []).forEach(function (i) { keepE[i] = true; keepN[R.edges[i].s] = keepN[R.edges[i].t] = true; });
      if (!edges) {
        R.edges.forEach(function (e, i) {
          if (e.visible && (keepN[e.s] && nodes.indexOf(e.s) >= 0 || nodes.indexOf(e.t) >= 0 && keepN[e.t])) { keepE[i] = true; }
        });
        Object.keys(keepE).forEach(function (i) { keepN[R.edges[i].s] = keepN[R.edges[i].t] = true; });
      }
      R.nodes.forEach(function (n, i) { n.dim = !keepN[i]; });
      R.edges.forEach(function (e, i) { e.dim = !keepE[i]; });
    }
    R.request("full");
  }
  function selectNode(i) { highlight([i], null); pin(nodeCard(i, true)); }

  // ---------------------------------------------------------------- cards
  function rowsTable(rows) {
    var t = el("table", "rows");
    rows.forEach(function (r) {
      var tr = el("tr"); tr.appendChild(el("th", null, r[0])); tr.appendChild(el("td", null, r[1])); t.appendChild(tr);
    });
    return t;
  }
  function cite(c) {
    var doc = data.documents[c.split(":")[0]];
    return doc ? c + " — " + doc[0] + " (" + doc[1] + ")" : c;
  }
  function dealsOf(i) {
    var id = N[i].id, out = [];
    E.forEach(function (e, j) {
      if (e.kind === "deal" && (e.from === id || e.to === id)) {
        e.deals.forEach(function (d) { if (state.visibleDeals[d] && out.indexOf(d) < 0) { out.push(d); } });
      }
    });
    (N[i].solo || []).forEach(function (d) { if (state.visibleDeals[d] && out.indexOf(d) < 0) { out.push(d); } });
    return out.sort(function (a, b) { return (D[a].date || "9999").localeCompare(D[b].date || "9999") || a.localeCompare(b); });
  }
  function counterparty(d, orgId) {
    var me = orgId ? orgId.replace(/^org:/, "") : null;
    return d.party_ids.filter(function (p) { return p[0] !== me; }).map(function (p) { return p[1]; }).join(", ") || "—";
  }
  function assetNames(d) { return d.assets.map(function (a) { return a.replace(/ \(.*$/, ""); }).join(", ") || "—"; }
  function dealTable(list, orgId, max) {
    restoreParties();
    var t = el("table", "deals"), head = el("tr");
    ["Date", orgId ? "Counterparty" : "Type", "Asset", "Upfront", "Headline value", "Status"].forEach(function (h) { head.appendChild(el("th", null, h)); });
    t.appendChild(head);
    list.slice(0, max).forEach(function (k) {
      var d = D[k], tr = el("tr");
      [d.date || "undated", orgId ? counterparty(d, orgId) : d.type_label, assetNames(d), d.upfront, d.headline, d.status]
        .forEach(function (v) { tr.appendChild(el("td", null, v)); });
      t.appendChild(tr);
    });
    return t;
  }
  function totals(list) {
    var sum = 0n, up = 0n, disclosed = 0, upStated = 0;
    list.forEach(function (k) {
      var h = cents(D[k].headline_usd), u = cents(D[k].upfront_usd);
      if (h !== null) { sum += h; disclosed++; }
      if (u !== null) { up += u; upStated++; }
    });
    // a total over no stated figure is "not stated", never "USD 0"
    return list.length + (list.length === 1 ? " deal" : " deals") + "; headline total "
      + (disclosed ? usd(sum) : "not stated") + ", upfront " + (upStated ? usd(up) : "not stated")
      + "; " + (list.length - disclosed) + " undisclosed";
  }
  function head(title, colour, shape, sub) {
    var h = el("div", "card-title"), dot = el("span", "dot" + (shape === "diamond" ? " diamond" : ""));
    dot.style.background = colour;
    h.appendChild(dot); h.appendChild(el("span", null, title));
    var box = el("div", "card");
    box.appendChild(h);
    if (sub) { box.appendChild(el("div", "card-sub", sub)); }
    return box;
  }
  function nodeCard(i, full) {
    restoreParties();
    var n = N[i], list = dealsOf(i);
    var box = head(n.label, R.nodes[i].colour, R.nodes[i].shape, groupLabel(n) + (n.multinational && F.colour !== "side" ? " · multinational" : ""));
    var tabs = el("div", "tabs"), pane = el("div", "pane");
    var t1 = el("button", "tab on", "Deals (" + list.length + ")"), t2 = el("button", "tab", "Measures");
    t1.type = t2.type = "button";
    tabs.appendChild(t1); tabs.appendChild(t2);
    box.appendChild(tabs); box.appendChild(pane);
    function deals() {
      clear(pane);
      pane.appendChild(el("div", "totals", totals(list)));
      var max = full ? 1000 : 10;
      pane.appendChild(dealTable(list, n.kind === "organization" ? n.id : null, max));
      if (list.length > max) { pane.appendChild(el("div", "hint", "and " + (list.length - max) + " more: click to see all")); }
    }
    function measures() {
      clear(pane);
      pane.appendChild(rowsTable(n.about.map(function (r) { return r[0] === "Sources" ? [r[0], r[1].split(", ").map(cite).join("; ")] : r; })));
      if (n.measures.length) { pane.appendChild(el("div", "section-title", "Network measures")); pane.appendChild(rowsTable(n.measures)); }
    }
    t1.addEventListener("click", function () { t1.className = "tab on"; t2.className = "tab"; deals(); });
    t2.addEventListener("click", function () { t2.className = "tab on"; t1.className = "tab"; measures(); });
    deals();
    return box;
  }
  function dealBlock(d) {
    restoreParties();
    var box = el("div", "deal");
    box.appendChild(el("div", "deal-title", d.type_label + " · " + (d.date || "undated")));
    if (d.title) { box.appendChild(el("div", "deal-name", d.title)); }
    var rows = d.parties.map(function (p) { return [p[0].charAt(0).toUpperCase() + p[0].slice(1), p[1]]; });
    if (d.assets.length) { rows.push(["Assets", d.assets.join("; ")]); }
    rows.push(["Headline value", d.headline], ["Upfront", d.upfront], ["Status", d.status]);
    if (d.note) { rows.push(["Note", d.note]); }
    box.appendChild(rowsTable(rows));
    var src = el("ul", "sources");
    d.sources.forEach(function (c) { src.appendChild(el("li", null, cite(c))); });
    box.appendChild(el("div", "section-title", "Sources"));
    box.appendChild(src);
    return box;
  }
  function edgeCard(j, full) {
    restoreParties();
    var e = E[j], r = R.edges[j];
    var box = head(N[index[e.from]].label + (e.directed ? " → " : " — ") + N[index[e.to]].label, r.colour, "line", null);
    (e.links || []).forEach(function (l) { box.appendChild(el("div", "link-text", l)); });
    var list = e.deals.filter(function (d) { return state.visibleDeals[d]; });
    if (list.length) {
      box.appendChild(el("div", "totals", totals(list)));
      if (full) { list.forEach(function (d) { box.appendChild(dealBlock(D[d])); }); }
      else { box.appendChild(dealTable(list, null, 8)); box.appendChild(el("div", "hint", "Click for parties, notes and sources.")); }
    }
    return box;
  }

  // ---------------------------------------------------------------- hover and click
  function showTip(card, x, y) {
    clear(tip); tip.appendChild(card); tip.hidden = false;
    var w = tip.offsetWidth, h = tip.offsetHeight;
    var px = x + 16, py = y + 16;
    if (px + w > R.w - 8) { px = Math.max(8, x - w - 16); }
    if (py + h > R.h - 8) { py = Math.max(8, R.h - h - 8); }
    tip.style.left = px + "px"; tip.style.top = py + "px";
  }
  function hover(h) {
    if (!h) { tip.hidden = true; clear(tip); canvas.style.cursor = ""; return; }
    canvas.style.cursor = "pointer";
    showTip(h.node !== undefined ? nodeCard(h.node, false) : edgeCard(h.edge, false), h.x, h.y);
  }
  var details = $("details-body"), hint = $("details-hint");
  function pin(card) { clear(details); details.appendChild(card); hint.hidden = true; }
  function click(c) {
    hover(null);
    if (c.node !== undefined) { selectNode(c.node); state.pinned = N[c.node].id; }
    else if (c.edge !== undefined) { highlight([], [c.edge]); pin(edgeCard(c.edge, true)); state.pinned = E[c.edge].id; }
    else { highlight(null); clear(details); hint.hidden = false; state.pinned = null; }
  }

  // ---------------------------------------------------------------- legend
  function legend() {
    var box = $("legend-body"), pal = data.palettes[F.colour];
    clear(box);
    box.appendChild(el("div", "section-title", pal.title));
    var counts = {};
    N.forEach(function (n, i) { if (R.nodes[i].visible && n.kind === "organization") { var c = R.nodes[i].colour; counts[c] = (counts[c] || 0) + 1; } });
    var ul = el("ul", "swatches");
    pal.groups.forEach(function (g) {
      if (!counts[g[2]]) { return; }
      var li = el("li"), s = el("span", "dot");
      s.style.background = g[2];
      li.appendChild(s);
      li.appendChild(el("span", "label", g[0] === "china" && F.china === "greater" ? data.palettes.side.greater_china : g[1]));
      li.appendChild(el("span", "count", counts[g[2]]));
      ul.appendChild(li);
      counts[g[2]] = 0;
    });
    box.appendChild(ul);
    var marks = el("ul", "swatches");
    [["ring", "Dark ring: multinational", N.some(function (n) { return n.multinational; })],
     ["star", "Star: the organization this map is about", !!data.focus],
     ["diamond", "Diamond: asset (drug, device, platform)", N.some(function (n) { return n.kind === "asset"; })]]
      .forEach(function (m) { if (m[2]) { var li = el("li"); li.appendChild(el("span", "mark mark-" + m[0])); li.appendChild(el("span", "label", m[1])); marks.appendChild(li); } });
    box.appendChild(marks);
    box.appendChild(el("p", "note", data.size_text));
    box.appendChild(el("div", "section-title", "Lines: deals, coloured by family"));
    var lines = el("ul", "swatches");
    data.families.forEach(function (f) {
      var li = el("li"), s = el("span", "line"); s.style.borderTopColor = f[2];
      li.appendChild(s); li.appendChild(el("span", "label", f[1])); lines.appendChild(li);
    });
    var kinds = {};
    E.forEach(function (e) { if (e.kind !== "deal") { kinds[e.kind] = true; } });
    Object.keys(kinds).sort().forEach(function (k) {
      var st = data.link_styles[k], li = el("li"), s = el("span", "line dotted"); s.style.borderTopColor = st[1];
      li.appendChild(s); li.appendChild(el("span", "label", st[0])); lines.appendChild(li);
    });
    box.appendChild(lines);
    box.appendChild(el("p", "note", "Arrows run from the party that gives rights (licensor, target, investor, seller) "
      + "to the party that takes them; lines without arrows are collaborations between peers. Width: "
      + ({ value: "headline value", upfront: "upfront payment", count: "number of deals" })[F.width]
      + (F.width === "count" ? "." : ", on a log scale (each tenfold step adds the same width); the value is written on lines of USD 1 billion and more; thinnest: not disclosed.")));
    data.notes.forEach(function (n) { box.appendChild(el("p", "note", n)); });
  }

  // ---------------------------------------------------------------- search
  // Matching and ranking are map.search.js's; here, what is searched: every name and alias of a
  // node, weighted by its deal value, and every asset code of a deal. Built on first use.
  var index_ = null;
  function searchIndex() {
    if (index_) { return index_; }
    var items = [], seen = {};
    N.forEach(function (n, i) { n.names.forEach(function (s) { items.push([s, "node", i, n.importance || 0]); }); });
    Object.keys(D).forEach(function (k) {
      D[k].codes.forEach(function (c) { var l = c.toLowerCase(); if (!seen[l]) { seen[l] = true; items.push([c, "asset", l, 0]); } });
    });
    index_ = new window.DealgraphSearch.Index(items);
    return index_;
  }
  function ranked(q, max) { return searchIndex().ranked(q, max); }
  var dl = $("names"), listed = null;
  function fillNames() {               // the suggestions list is built when the search box is first used
    if (listed) { return; }
    listed = {};
    var frag = document.createDocumentFragment();
    searchIndex().entries.slice().sort(function (a, b) { return a[3].localeCompare(b[3]); }).forEach(function (e) {
      if (listed[e[3]]) { return; }
      listed[e[3]] = true;
      var o = document.createElement("option"); o.value = e[3]; frag.appendChild(o);
    });
    dl.appendChild(frag);
  }
  $("search").addEventListener("focus", fillNames);
  function find(q) {
    var r = ranked(q, 1);
    return r.length ? r[0].entry : null;
  }
  function search() {
    var top = ranked($("search").value, 4), msg = $("search-msg"), hit = top.length ? top[0].entry : null;
    if (!hit) { msg.textContent = "No match"; state.found = null; return; }
    msg.textContent = top[0].score >= 70 ? "" : "closest: " + hit[3] + (top.length > 1
      ? "; also " + top.slice(1).map(function (h) { return h.entry[3]; }).join(", ") : "");
    if (hit[1] === "node") {
      var i = hit[2];
      state.found = N[i].id;
      if (!R.nodes[i].visible) { msg.textContent = "Hidden by the filters"; }
      selectNode(i);
      centreOn([i]);
      return;
    }
    var code = hit[2], es = [], ds = [];
    E.forEach(function (e, j) {
      e.deals.forEach(function (d) {
        if (D[d].codes.some(function (c) { return c.toLowerCase() === code; })) { if (es.indexOf(j) < 0) { es.push(j); } if (ds.indexOf(d) < 0) { ds.push(d); } }
      });
    });
    var own = [];
    N.forEach(function (n, i) { if (n.kind === "asset" && n.names.some(function (s) { return s.toLowerCase() === code; })) { own.push(i); } });
    state.found = "asset:" + hit[3];
    highlight(own, es);
    var card = el("div", "card");
    card.appendChild(el("div", "card-title", hit[3]));
    card.appendChild(el("div", "card-sub", ds.length + (ds.length === 1 ? " deal" : " deals") + " on this map"));
    ds.forEach(function (d) { card.appendChild(dealBlock(D[d])); });
    pin(card);
    var ends = [];
    es.forEach(function (j) { ends.push(R.edges[j].s, R.edges[j].t); });
    if (ends.length) { centreOn(ends); }
  }
  function centreOn(list) {
    var x = 0, y = 0;
    list.forEach(function (i) { x += R.nodes[i].x; y += R.nodes[i].y; });
    x /= list.length; y /= list.length;
    R.scale = Math.max(R.scale, 0.6);
    R.tx = R.w / 2 - x * R.scale; R.ty = R.h / 2 - y * R.scale;
    R.request("full");
  }
  $("search").addEventListener("change", search);
  $("search").addEventListener("keydown", function (ev) { if (ev.key === "Enter") { search(); } });
  $("fit").addEventListener("click", function () { R.fit(true); });

  // ---------------------------------------------------------------- CSV export
  var CSV_COLUMNS = ["deal_id", "date", "title", "type", "family", "direction", "givers", "takers", "parties", "assets",
                     "headline", "headline_usd", "upfront", "upfront_usd", "status", "sources"];
  function cell(v) {
    var s = v === null || v === undefined ? "" : String(v);
    if (/^[=+\-@\t\r]/.test(s)) { s = "'" + s; }        // a spreadsheet must not read it as a formula
    return '"' + s.replace(/"/g, '""') + '"';
  }
  function names(ids) { return ids.map(function (o) { var i = index["org:" + o]; return i === undefined ? o : N[i].label; }).join("; "); }
  function csv() {
    restoreParties();
    var rows = [CSV_COLUMNS.join(",")];
    Object.keys(state.visibleDeals).sort().forEach(function (k) {
      var d = D[k];
      rows.push([k, d.date, d.title, d.type_label, d.family, data.directions[d.direction[F.china]], names(d.givers), names(d.takers),
                 d.parties.map(function (p) { return p[0] + ": " + p[1]; }).join("; "), d.assets.join("; "),
                 d.headline, d.headline_usd, d.upfront, d.upfront_usd, d.status, d.sources.join("; ")].map(cell).join(","));
    });
    return rows.join("\r\n") + "\r\n";
  }
  function download() {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob(["\ufeff" + csv()], { type: "text/csv;charset=utf-8" }));
    a.download = "dealgraph-deals.csv";
    document.body.appendChild(a); a.click(); document.body.removeChild(a);
  }

  // ---------------------------------------------------------------- start
  function markReady() {
    state.ready = true;
    state.readyAt = performance.now();
    performance.mark("dealgraph:ready");
    document.body.setAttribute("data-ready", "true");
    setTimeout(restoreParties, 0);          // the cards' names, once the map is on screen
  }
  window.dealgraphMap = {
    data: data, renderer: R, state: state, csv: csv, find: find,
    search: function (q) { return ranked(q, 10).map(function (h) { return [h.entry[3], h.score]; }); },
    counts: function () {
      var n = 0, e = 0;
      R.nodes.forEach(function (x) { if (x.visible) { n++; } });
      R.edges.forEach(function (x) { if (x.visible) { e++; } });
      return { nodes: n, edges: e, deals: Object.keys(state.visibleDeals).length, hidden: $("hidden").textContent };
    },
    screen: function (id) { var n = R.nodes[index[id]]; return { x: R.sx(n.x), y: R.sy(n.y), r: R.radius(n) }; },
    edge: function (j) { var e = E[j], r = R.edges[j]; return { id: e.id, from: e.from, to: e.to, deals: e.deals, width: r.width, visible: r.visible, directed: r.directed, text: r.text, mid: R.geometry(r) }; },
    dim: function () { return R.nodes.map(function (n, i) { return n.dim ? null : N[i].id; }).filter(function (x) { return x; }); }
  };
  setupFilters();
  R.resize();
  apply();
  performance.mark("dealgraph:network");
  R.fit(false);
  if (data.focus && index[data.focus] !== undefined) { pin(nodeCard(index[data.focus], true)); }
}());
