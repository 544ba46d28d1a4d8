// dealgraph map page: builds the vis-network from the JSON in #map-data and
// shows tooltips, details and the legend. Every string from the data is put
// into the page as text (textContent / createTextNode), never parsed as HTML.
(function () {
  "use strict";
  performance.mark("dealgraph:start");
  var data = JSON.parse(document.getElementById("map-data").textContent);
  performance.mark("dealgraph:parsed");
  Object.keys(data.deals).forEach(function (k) {
    var d = data.deals[k];
    d.id = k;
    d.parties = d.parties || []; d.assets = d.assets || []; d.sources = d.sources || [];
  });
  var state = { ready: false, readyAt: null, pinned: null };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  performance.mark("dealgraph:datasets");
  var container = document.getElementById("map");
  var network = new vis.Network(container, { nodes: [], edges: [] }, data.options);
  var api = { network: network, nodes: nodes, edges: edges, deals: data.deals, data: data, state: state,
              showNode: null, showEdge: null };
  window.dealgraphMap = api;

  function markReady() {
    if (state.ready) { return; }
    state.ready = true;
    state.readyAt = performance.now();
    performance.mark("dealgraph:ready");
    document.body.setAttribute("data-ready", "true");
    var loading = document.getElementById("loading");
    if (loading) { loading.hidden = true; }
    if (data.focus && nodes.get(data.focus)) { pinNode(data.focus); }
  }
  if (data.precomputed) {
    network.once("afterDrawing", markReady);
  } else {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      network.fit();
      network.once("afterDrawing", markReady);
      network.redraw();
    });
  }
  network.setData({ nodes: nodes, edges: edges });
  performance.mark("dealgraph:network");

  // ---------------------------------------------------------------- descriptions
  function rowsTable(rows) {
    var t = el("table", "rows");
    rows.forEach(function (r) {
      var tr = el("tr");
      tr.appendChild(el("th", null, r[0]));
      tr.appendChild(el("td", null, r[1]));
      t.appendChild(tr);
    });
    return t;
  }
  function nodeCard(id) {
    var n = nodes.get(id);
    var box = el("div", "card");
    var head = el("div", "card-title");
    var dot = el("span", "dot");
    dot.style.background = n.color.background;
    if (n.nodeKind === "asset") { dot.classList.add("diamond"); }
    head.appendChild(dot);
    head.appendChild(el("span", null, n.name));
    box.appendChild(head);
    box.appendChild(el("div", "card-sub", n.nodeKind === "asset" ? "Asset" : n.group_label));
    box.appendChild(rowsTable(n.info));
    return box;
  }
  function endName(id) { var n = nodes.get(id); return n ? n.name : id; }
  function dealSummary(d) {
    return [d.date, d.type, d.headline].filter(function (x) { return x; }).join(" · ");
  }
  function dealBlock(d) {
    var box = el("div", "deal");
    box.appendChild(el("div", "deal-title", d.type + (d.date ? " · " + d.date : "")));
    if (d.title) { box.appendChild(el("div", "deal-name", d.title)); }
    var rows = [];
    d.parties.forEach(function (p) { rows.push([p[0].charAt(0).toUpperCase() + p[0].slice(1), p[1]]); });
    if (d.assets.length) { rows.push(["Assets", d.assets.join("; ")]); }
    rows.push(["Headline value", d.headline]);
    rows.push(["Upfront", d.upfront]);
    rows.push(["Status", d.status]);
    if (d.note) { rows.push(["Note", d.note]); }
    rows.push(["Sources", d.sources.join(", ")]);
    rows.push(["Deal id", d.id]);
    box.appendChild(rowsTable(rows));
    return box;
  }
  function edgeCard(id, full) {
    var e = edges.get(id);
    var box = el("div", "card");
    var head = el("div", "card-title");
    var line = el("span", "line");
    line.style.borderTopColor = e.color.color;
    if (e.dashes) { line.style.borderTopStyle = "dashed"; }
    head.appendChild(line);
    head.appendChild(el("span", null, endName(e.from) + (e.arrows ? " → " : " — ") + endName(e.to)));
    box.appendChild(head);
    var n = e.deals.length;
    if (n) { box.appendChild(el("div", "card-sub", n + (n === 1 ? " deal" : " deals"))); }
    (e.links || []).forEach(function (l) { box.appendChild(el("div", "link-text", l)); });
    if (full) {
      e.deals.forEach(function (d) { box.appendChild(dealBlock(data.deals[d])); });
    } else {
      var list = el("ul", "deal-list");
      e.deals.slice(0, 5).forEach(function (d) { list.appendChild(el("li", null, dealSummary(data.deals[d]))); });
      if (n > 5) { list.appendChild(el("li", "more", "and " + (n - 5) + " more")); }
      if (n) { box.appendChild(list); box.appendChild(el("div", "hint", "Click for parties, assets, values and sources.")); }
    }
    return box;
  }
  api.showNode = nodeCard;
  api.showEdge = edgeCard;

  // ---------------------------------------------------------------- tooltip
  var tip = document.getElementById("tip");
  function showTip(card, pointer) {
    clear(tip);
    tip.appendChild(card);
    tip.hidden = false;
    var box = container.getBoundingClientRect();
    var x = pointer.x + 16, y = pointer.y + 16;
    var w = tip.offsetWidth, h = tip.offsetHeight;
    if (x + w > box.width - 8) { x = Math.max(8, pointer.x - w - 16); }
    if (y + h > box.height - 8) { y = Math.max(8, box.height - h - 8); }
    tip.style.left = x + "px";
    tip.style.top = y + "px";
  }
  function hideTip() { tip.hidden = true; clear(tip); }
  network.on("hoverNode", function (p) { showTip(nodeCard(p.node), p.pointer.DOM); });
  network.on("hoverEdge", function (p) { showTip(edgeCard(p.edge, false), p.pointer.DOM); });
  network.on("blurNode", hideTip);
  network.on("blurEdge", hideTip);
  network.on("dragStart", hideTip);
  network.on("zoom", hideTip);

  // ---------------------------------------------------------------- details panel
  var details = document.getElementById("details-body");
  var hint = document.getElementById("details-hint");
  function pin(card, what) {
    clear(details);
    details.appendChild(card);
    hint.hidden = true;
    state.pinned = what;
  }
  function pinNode(id) {
    var card = nodeCard(id);
    var conn = network.getConnectedEdges(id);
    if (conn.length) {
      var list = el("ul", "partner-list");
      var items = conn.map(function (eid) {
        var e = edges.get(eid);
        var other = e.from === id ? e.to : e.from;
        return { eid: eid, name: endName(other), n: e.deals.length };
      }).sort(function (a, b) { return b.n - a.n || a.name.localeCompare(b.name); });
      items.forEach(function (it) {
        var li = el("li");
        var b = el("button", "linkish", it.name);
        b.type = "button";
        b.addEventListener("click", function () { network.selectEdges([it.eid]); pin(edgeCard(it.eid, true), it.eid); });
        li.appendChild(b);
        if (it.n) { li.appendChild(el("span", "count", it.n + (it.n === 1 ? " deal" : " deals"))); }
        list.appendChild(li);
      });
      card.appendChild(el("div", "section-title", "Links on this map (" + conn.length + ")"));
      card.appendChild(list);
    }
    var solo = nodes.get(id).deals || [];
    if (solo.length) {
      card.appendChild(el("div", "section-title", "Deals with no other party recorded (" + solo.length + ")"));
      solo.forEach(function (d) { card.appendChild(dealBlock(data.deals[d])); });
    }
    pin(card, id);
  }
  network.on("click", function (p) {
    hideTip();
    if (p.nodes.length) { pinNode(p.nodes[0]); }
    else if (p.edges.length) { pin(edgeCard(p.edges[0], true), p.edges[0]); }
    else { clear(details); hint.hidden = false; state.pinned = null; }
  });

  // ---------------------------------------------------------------- legend
  function legend() {
    var L = data.legend, box = document.getElementById("legend-body");
    box.appendChild(el("div", "section-title", L.colour_title));
    var ul = el("ul", "swatches");
    L.colours.forEach(function (c) {
      var li = el("li");
      var s = el("span", "dot");
      s.style.background = c.colour;
      li.appendChild(s);
      li.appendChild(el("span", "label", c.label));
      li.appendChild(el("span", "count", c.count));
      ul.appendChild(li);
    });
    box.appendChild(ul);
    if (L.marks.length) {
      var marks = el("ul", "swatches");
      L.marks.forEach(function (m) {
        var li = el("li");
        li.appendChild(el("span", "mark mark-" + m.shape));
        li.appendChild(el("span", "label", m.label));
        marks.appendChild(li);
      });
      box.appendChild(marks);
    }
    box.appendChild(el("p", "size-text", L.size_text));
    if (L.lines.length) {
      box.appendChild(el("div", "section-title", "Lines: kind of deal or link"));
      var lines = el("ul", "swatches");
      var NS = "http://www.w3.org/2000/svg";
      L.lines.forEach(function (l) {
        var li = el("li");
        var svg = document.createElementNS(NS, "svg");
        svg.setAttribute("width", "34"); svg.setAttribute("height", "10"); svg.setAttribute("class", "line-sample");
        var ln = document.createElementNS(NS, "line");
        ln.setAttribute("x1", "1"); ln.setAttribute("y1", "5"); ln.setAttribute("x2", "33"); ln.setAttribute("y2", "5");
        ln.setAttribute("stroke", l.colour); ln.setAttribute("stroke-width", "2.5");
        if (l.dashes) { ln.setAttribute("stroke-dasharray", l.dashes.join(" ")); }
        svg.appendChild(ln);
        li.appendChild(svg);
        li.appendChild(el("span", "label", l.label));
        lines.appendChild(li);
      });
      box.appendChild(lines);
    }
    L.notes.forEach(function (n) { box.appendChild(el("p", "note", n)); });
  }
  legend();

  // ---------------------------------------------------------------- search
  var byName = {};
  var names = [];
  nodes.forEach(function (n) { byName[n.name.toLowerCase()] = n.id; names.push(n.name); });
  names.sort(function (a, b) { return a.localeCompare(b); });
  var dl = document.getElementById("names");
  names.forEach(function (n) { var o = document.createElement("option"); o.value = n; dl.appendChild(o); });
  var search = document.getElementById("search");
  function find() {
    var q = search.value.trim().toLowerCase();
    if (!q) { return; }
    var id = byName[q];
    if (!id) {
      for (var k in byName) { if (k.indexOf(q) >= 0) { id = byName[k]; break; } }
    }
    var msg = document.getElementById("search-msg");
    if (!id) { msg.textContent = "No match"; return; }
    msg.textContent = "";
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: { duration: 400 } });
    pinNode(id);
  }
  search.addEventListener("change", find);
  search.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { find(); } });
  document.getElementById("fit").addEventListener("click", function () { network.fit({ animation: { duration: 300 } }); });
}());
