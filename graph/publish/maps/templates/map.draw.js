// dealgraph map renderer: nodes and lines on a 2D canvas, drawn in batches.
// Lines are grouped by (colour, width, alpha, dots) and nodes by (colour, alpha), each group cut
// into a few paths. While the wheel turns or the map is dragged, frames are "fast": on large maps
// the picture of the last full frame, moved and scaled (about a millisecond at any size); on small
// ones nodes and lines without labels or arrowheads. The full frame follows when zooming stops.
// Labels are placed greedily by priority so that none overlaps another or a node; every placed
// label and arrowhead is recorded in `last` (the tests read it).
(function () {
  "use strict";
  var FONT = "Inter, 'Segoe UI', 'Helvetica Neue', Arial, sans-serif";
  var MAX_ARROWS = 800;
  var MAX_VALUES = 60;              // money written on at most this many lines (largest first)
  var DENSE = 2000;                 // lines on a map above which all are drawn thinner
  // Skia rasterizes one path as one shape: a path of thousands of overlapping pieces costs far more
  // than many paths of a few pieces each (5,000-node map: ~1.1 s vs ~0.2 s), so batches are cut here
  var CHUNK = 8;
  // ... except lines of a device pixel or thinner, which Skia draws as hairlines (no overlap cost)
  var THIN_CHUNK = 64;

  function Renderer(canvas, opts) {
    this.canvas = canvas;
    this.ctx = canvas.getContext("2d");
    this.opts = opts;               // {fastEdgeLimit, forcedLabels, onHover, onClick, onView}
    this.nodes = [];                // {x, y, r, colour, shape, ring, visible, dim, label, priority, forced}
    this.edges = [];                // {s, t, width, colour, visible, dim, directed, dotted, text, value, bend}
    this.scale = 1; this.tx = 0; this.ty = 0; this.density = 1;
    this.w = 0; this.h = 0; this.dpr = window.devicePixelRatio || 1;
    this.last = { labels: [], arrows: [], values: [], mode: null, ms: 0 };
    this.frames = [];               // duration of every frame drawn, ms
    this.cachedFrames = 0;          // frames drawn from the picture of the last full frame
    this.pending = null; this.settle = null; this.zooming = false;
    this.bind();
  }

  Renderer.prototype.resize = function () {
    var box = this.canvas.getBoundingClientRect();
    this.w = Math.max(1, box.width); this.h = Math.max(1, box.height);
    this.canvas.width = Math.round(this.w * this.dpr); this.canvas.height = Math.round(this.h * this.dpr);
  };

  // world -> screen: sx = x * scale + tx
  Renderer.prototype.sx = function (x) { return x * this.scale + this.tx; };
  Renderer.prototype.sy = function (y) { return y * this.scale + this.ty; };
  // on small maps a node is drawn to scale (positions keep them apart at every zoom); on large
  // ones it shrinks more slowly than the map, so that nodes stay visible when zoomed far out
  Renderer.prototype.radius = function (n) {
    if (this.rScale !== this.scale) {        // the factor is worked out once per zoom level
      var f = this.opts.sizePower === 1 ? Math.max(0.6, this.scale) : Math.max(0.25, Math.sqrt(this.scale));
      this.rScale = this.scale; this.rf = Math.min(1.6, f);
    }
    return Math.max(2.5, n.r * this.rf);
  };
  // a line's drawn width: its own width, thinner when zoomed out and when very many lines are on
  // screen (a hairball reads better thin, and Skia draws lines of a pixel or less far faster)
  Renderer.prototype.widthOf = function (e) {
    return Math.max(0.6, e.width * this.density * Math.min(1.3, Math.max(0.2, Math.sqrt(this.scale))));
  };

  Renderer.prototype.fit = function (onlyVisible) {
    var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity, any = false;
    this.nodes.forEach(function (n) {
      if (onlyVisible && !n.visible) { return; }
      any = true;
      minX = Math.min(minX, n.x - n.r); maxX = Math.max(maxX, n.x + n.r);
      minY = Math.min(minY, n.y - n.r); maxY = Math.max(maxY, n.y + n.r);
    });
    if (!any) { minX = minY = -1; maxX = maxY = 1; }
    var padX = 90, padY = 40;      // room for labels at the sides
    var s = Math.min((this.w - 2 * padX) / Math.max(1, maxX - minX), (this.h - 2 * padY) / Math.max(1, maxY - minY));
    this.scale = Math.min(1.2, Math.max(0.01, s));
    this.tx = this.w / 2 - (minX + maxX) / 2 * this.scale;
    this.ty = this.h / 2 - (minY + maxY) / 2 * this.scale;
    this.request("full");
  };

  Renderer.prototype.zoomAt = function (factor, px, py) {
    var s = Math.min(8, Math.max(0.005, this.scale * factor));
    var k = s / this.scale;
    this.tx = px - (px - this.tx) * k; this.ty = py - (py - this.ty) * k;
    this.scale = s;
    this.zooming = true;
    this.request("fast");
    var self = this;
    clearTimeout(this.settle);
    this.settle = setTimeout(function () { self.zooming = false; self.request("full"); }, 160);
  };

  Renderer.prototype.request = function (mode) {
    var self = this;
    if (this.pending) { if (mode === "full" && !this.zooming) { this.pendingMode = "full"; } return; }
    this.pendingMode = mode;
    this.pending = requestAnimationFrame(function () {
      self.pending = null;
      self.draw(self.pendingMode);
    });
  };

  // ------------------------------------------------------------------ drawing
  Renderer.prototype.draw = function (mode) {
    var t0 = performance.now();
    var ctx = this.ctx, full = mode === "full";
    var shown = 0;
    this.edges.forEach(function (e) { if (e.visible) { shown++; } });
    this.density = shown > DENSE ? Math.sqrt(DENSE / shown) : 1;
    // while zooming or panning a large map, the last full frame is reused as a picture, moved and
    // scaled (a few ms whatever the size), with the nodes it did not cover drawn on top; the crisp
    // full frame follows when the wheel stops
    if (!full && this.useLayer(shown)) {
      this.drawCached();
      this.cachedFrames++;
      this.last = { labels: [], arrows: [], values: [], mode: mode, edgesDrawn: true, cached: true,
                    ms: performance.now() - t0 };
    } else {
      ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
      ctx.clearRect(0, 0, this.w, this.h);
      var drawEdges = full || shown <= this.opts.fastEdgeLimit;
      var arrows = [], values = [];
      if (drawEdges) { this.drawEdges(full, arrows, shown); }
      this.drawNodes(full);
      var labels = [];
      if (full) { this.drawLabels(labels, values); this.snapshot(); }
      this.last = { labels: labels, arrows: arrows, values: values, mode: mode, edgesDrawn: drawEdges,
                    cached: false, ms: performance.now() - t0 };
    }
    this.frames.push(this.last.ms);
    if (this.frames.length > 500) { this.frames.shift(); }
    if (this.opts.onDraw) { this.opts.onDraw(this.last); }
  };

  // the picture of the last full frame is used for fast frames on maps where drawing the lines
  // again would be slow (more than fastEdgeLimit lines on screen, or many nodes)
  Renderer.prototype.useLayer = function (shown) {
    return !!this.layerView && this.layer.width === this.canvas.width && this.layer.height === this.canvas.height
      && (shown > this.opts.fastEdgeLimit || this.nodes.length > 1500);
  };

  Renderer.prototype.snapshot = function () {
    if (!this.layer) { this.layer = document.createElement("canvas"); }
    var L = this.layer;
    if (L.width !== this.canvas.width || L.height !== this.canvas.height) {
      L.width = this.canvas.width; L.height = this.canvas.height;
    }
    var lc = L.getContext("2d");
    lc.setTransform(1, 0, 0, 1, 0, 0);
    lc.clearRect(0, 0, L.width, L.height);
    lc.drawImage(this.canvas, 0, 0);
    this.layerView = { scale: this.scale, tx: this.tx, ty: this.ty };
  };

  Renderer.prototype.drawCached = function () {
    var v = this.layerView, k = this.scale / v.scale, ctx = this.ctx, W = this.w, H = this.h;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.clearRect(0, 0, W, H);
    ctx.imageSmoothingEnabled = false;      // nearest pixels: 5x cheaper, and only seen while moving
    ctx.drawImage(this.layer, this.tx - v.tx * k, this.ty - v.ty * k, W * k, H * k);
    ctx.imageSmoothingEnabled = true;
    // nodes that were off the picture (zooming out, panning) are drawn now
    this.drawNodes(false, function (n) {
      var ox = n.x * v.scale + v.tx, oy = n.y * v.scale + v.ty;
      return ox < 0 || ox > W || oy < 0 || oy > H;
    });
  };

  Renderer.prototype.geometry = function (e) {
    // screen end points (trimmed to the node rims) and the control point of a gently bent line
    var a = this.nodes[e.s], b = this.nodes[e.t];
    var x1 = this.sx(a.x), y1 = this.sy(a.y), x2 = this.sx(b.x), y2 = this.sy(b.y);
    var dx = x2 - x1, dy = y2 - y1, len = Math.sqrt(dx * dx + dy * dy) || 1;
    var ux = dx / len, uy = dy / len;
    var ra = this.radius(a), rb = this.radius(b);
    var bend = e.bend * Math.min(40, len * 0.18);
    var cx = (x1 + x2) / 2 - uy * bend, cy = (y1 + y2) / 2 + ux * bend;
    return { x1: x1 + ux * ra, y1: y1 + uy * ra, x2: x2 - ux * (rb + 1), y2: y2 - uy * (rb + 1),
             cx: cx, cy: cy, len: len, bent: bend !== 0,
             mx: bend !== 0 ? 0.25 * x1 + 0.5 * cx + 0.25 * x2 : (x1 + x2) / 2,
             my: bend !== 0 ? 0.25 * y1 + 0.5 * cy + 0.25 * y2 : (y1 + y2) / 2 };
  };

  Renderer.prototype.drawEdges = function (full, arrows, shown) {
    var ctx = this.ctx, self = this, groups = {}, keys = [];
    var W = this.w, H = this.h;
    this.edges.forEach(function (e, i) {
      if (!e.visible) { return; }
      var g = self.geometry(e);
      var minx = Math.min(g.x1, g.x2, g.cx), maxx = Math.max(g.x1, g.x2, g.cx);
      var miny = Math.min(g.y1, g.y2, g.cy), maxy = Math.max(g.y1, g.y2, g.cy);
      if (maxx < 0 || minx > W || maxy < 0 || miny > H) { return; }
      var width = Math.round(self.widthOf(e) * 2) / 2;
      var key = e.colour + "|" + width + "|" + (e.dim ? 1 : 0) + "|" + (e.dotted ? 1 : 0);
      var grp = groups[key];
      if (!grp) { grp = groups[key] = { colour: e.colour, width: width, dim: e.dim, dotted: e.dotted, items: [] }; keys.push(key); }
      grp.items.push(g);
      if (full && e.directed && g.len > 26 + width * 2) { arrows.push({ edge: i, g: g, colour: e.colour, dim: e.dim, width: width }); }
    });
    keys.sort(function (a, b) { return (groups[b].dim ? 1 : 0) - (groups[a].dim ? 1 : 0) || groups[a].width - groups[b].width; });
    ctx.lineCap = "butt";
    keys.forEach(function (k) {
      var grp = groups[k];
      ctx.strokeStyle = grp.colour;
      ctx.globalAlpha = grp.dim ? 0.07 : (shown > 600 ? 0.4 : 0.62);
      ctx.lineWidth = grp.width;
      ctx.setLineDash(grp.dotted ? [2, 4] : []);
      ctx.beginPath();
      var chunk = grp.width * self.dpr <= 1 ? THIN_CHUNK : CHUNK;
      grp.items.forEach(function (g, j) {
        ctx.moveTo(g.x1, g.y1);
        if (g.bent) { ctx.quadraticCurveTo(g.cx, g.cy, g.x2, g.y2); } else { ctx.lineTo(g.x2, g.y2); }
        if ((j + 1) % chunk === 0) { ctx.stroke(); ctx.beginPath(); }
      });
      ctx.stroke();
    });
    ctx.setLineDash([]);
    // arrowheads at the taking end, pointing along the line's last stretch: one path per colour;
    // when very many lines are on screen, only the MAX_ARROWS widest (longest on ties) get one
    if (arrows.length > MAX_ARROWS) {
      arrows.sort(function (a, b) { return b.width - a.width || b.g.len - a.g.len; });
      arrows.length = MAX_ARROWS;
    }
    var recorded = [], heads = {}, order = [];
    arrows.forEach(function (a) {
      var g = a.g, ex = g.x2, ey = g.y2;
      var dx = g.bent ? ex - g.cx : ex - g.x1, dy = g.bent ? ey - g.cy : ey - g.y1;
      var l = Math.sqrt(dx * dx + dy * dy) || 1;
      dx /= l; dy /= l;
      var key = a.colour + "|" + (a.dim ? 1 : 0);
      if (!heads[key]) { heads[key] = { colour: a.colour, dim: a.dim, items: [] }; order.push(key); }
      heads[key].items.push([ex, ey, dx, dy, 5 + a.width * 1.0]);
      recorded.push({ edge: a.edge, x: ex, y: ey, dx: dx, dy: dy });
    });
    order.forEach(function (k) {
      var h = heads[k];
      ctx.globalAlpha = h.dim ? 0.08 : 0.9;
      ctx.fillStyle = h.colour;
      ctx.beginPath();
      h.items.forEach(function (it, j) {
        if (j % CHUNK === 0) { ctx.fill(); ctx.beginPath(); }
        var ex = it[0], ey = it[1], dx = it[2], dy = it[3], size = it[4];
        ctx.moveTo(ex, ey);
        ctx.lineTo(ex - dx * size - dy * size * 0.5, ey - dy * size + dx * size * 0.5);
        ctx.lineTo(ex - dx * size + dy * size * 0.5, ey - dy * size - dx * size * 0.5);
        ctx.closePath();
      });
      ctx.fill();
    });
    arrows.length = 0;
    Array.prototype.push.apply(arrows, recorded);
    ctx.globalAlpha = 1;
  };

  function shapePath(ctx, shape, x, y, r) {
    if (shape === "diamond") {
      ctx.moveTo(x, y - r); ctx.lineTo(x + r, y); ctx.lineTo(x, y + r); ctx.lineTo(x - r, y); ctx.closePath();
    } else if (shape === "star") {
      for (var i = 0; i < 10; i++) {
        var rr = i % 2 ? r * 0.5 : r * 1.15, an = -Math.PI / 2 + i * Math.PI / 5;
        if (i) { ctx.lineTo(x + rr * Math.cos(an), y + rr * Math.sin(an)); } else { ctx.moveTo(x + rr * Math.cos(an), y + rr * Math.sin(an)); }
      }
      ctx.closePath();
    } else {
      ctx.moveTo(x + r, y); ctx.arc(x, y, r, 0, 2 * Math.PI);
    }
  }

  Renderer.prototype.drawNodes = function (full, only) {
    var ctx = this.ctx, self = this, groups = {}, keys = [], rings = [], W = this.w, H = this.h;
    var many = this.nodes.length > 2000;
    this.nodes.forEach(function (n) {
      if (!n.visible || (only && !only(n))) { return; }
      var x = self.sx(n.x), y = self.sy(n.y), r = self.radius(n);
      if (x + r < 0 || x - r > W || y + r < 0 || y - r > H) { return; }
      var key = n.colour + "|" + (n.dim ? 1 : 0);
      if (!groups[key]) { groups[key] = { colour: n.colour, dim: n.dim, items: [] }; keys.push(key); }
      groups[key].items.push([n.shape, x, y, r]);
      if (n.ring && !n.dim) { rings.push([n.shape, x, y, r]); }
    });
    keys.sort(function (a, b) { return (groups[b].dim ? 1 : 0) - (groups[a].dim ? 1 : 0); });
    keys.forEach(function (k) {
      var grp = groups[k];
      ctx.globalAlpha = grp.dim ? 0.16 : 1;
      ctx.fillStyle = grp.colour;
      var border = full && !many && !grp.dim;
      ctx.strokeStyle = "#ffffff"; ctx.lineWidth = 1;
      ctx.beginPath();
      grp.items.forEach(function (it, j) {
        shapePath(ctx, it[0], it[1], it[2], it[3]);
        if ((j + 1) % CHUNK === 0) { ctx.fill(); if (border) { ctx.stroke(); } ctx.beginPath(); }
      });
      ctx.fill();
      if (border) { ctx.stroke(); }
    });
    ctx.globalAlpha = 1;
    if (rings.length && (full || !many)) {
      ctx.strokeStyle = "#14181f"; ctx.lineWidth = 2.2;
      ctx.beginPath();
      rings.forEach(function (it) { shapePath(ctx, it[0], it[1], it[2], it[3] + 1); });
      ctx.stroke();
    }
  };

  // A grid of occupied screen boxes, for placing labels without overlaps (cells keyed by number).
  function Occupied(cell) { this.cell = cell; this.map = new Map(); }
  Occupied.prototype.hits = function (b) {
    var c = this.cell, i1 = Math.floor((b.x + b.w) / c), j0 = Math.floor(b.y / c), j1 = Math.floor((b.y + b.h) / c);
    for (var i = Math.floor(b.x / c); i <= i1; i++) {
      for (var j = j0; j <= j1; j++) {
        var list = this.map.get(i * 65536 + j);
        if (!list) { continue; }
        for (var k = 0; k < list.length; k++) {
          var o = list[k];
          if (b.x < o.x + o.w && o.x < b.x + b.w && b.y < o.y + o.h && o.y < b.y + b.h) { return true; }
        }
      }
    }
    return false;
  };
  Occupied.prototype.add = function (b) {
    var c = this.cell, i1 = Math.floor((b.x + b.w) / c), j0 = Math.floor(b.y / c), j1 = Math.floor((b.y + b.h) / c);
    for (var i = Math.floor(b.x / c); i <= i1; i++) {
      for (var j = j0; j <= j1; j++) {
        var key = i * 65536 + j, list = this.map.get(key);
        if (list) { list.push(b); } else { this.map.set(key, [b]); }
      }
    }
  };

  // node indices by label priority, highest first (worked out once per set of nodes)
  Renderer.prototype.labelOrder = function () {
    if (this.orderOf !== this.nodes) {
      var nodes = this.nodes;
      this.order = nodes.map(function (n, i) { return i; }).filter(function (i) { return !!nodes[i].label; })
        .sort(function (a, b) { return nodes[b].priority - nodes[a].priority; });
      this.orderOf = nodes;
    }
    return this.order;
  };

  Renderer.prototype.drawLabels = function (placed, values) {
    var ctx = this.ctx, self = this, W = this.w, H = this.h, occ = new Occupied(48), taken = new Occupied(48);
    var cands = [], seen = [];
    this.nodes.forEach(function (n, i) {
      if (!n.visible) { return; }
      var x = self.sx(n.x), y = self.sy(n.y), r = self.radius(n);
      if (x < -40 || x > W + 40 || y < -20 || y > H + 20) { return; }
      if (!n.dim) { occ.add({ x: x - r, y: y - r, w: 2 * r, h: 2 * r, node: true }); }
      seen[i] = true;
    });
    this.labelOrder().forEach(function (i) {
      if (!seen[i]) { return; }
      var n = self.nodes[i];
      cands.push({ i: i, n: n, x: self.sx(n.x), y: self.sy(n.y), r: self.radius(n) });
    });
    // money written on the lines that carry at least the labelled amount, largest first
    var lines = [];
    this.edges.forEach(function (e, i) { if (e.visible && !e.dim && e.text) { lines.push(i); } });
    lines.sort(function (a, b) { return self.edges[b].value - self.edges[a].value; });
    ctx.font = "600 11px " + FONT;
    ctx.textBaseline = "middle";
    var tried = 0;
    lines.forEach(function (i) {
      if (values.length >= MAX_VALUES || tried >= MAX_VALUES * 6) { return; }
      var e = self.edges[i], a = self.nodes[e.s], z = self.nodes[e.t];
      var ax = self.sx(a.x), ay = self.sy(a.y), zx = self.sx(z.x), zy = self.sy(z.y);
      if (Math.max(ax, zx) < 0 || Math.min(ax, zx) > W || Math.max(ay, zy) < 0 || Math.min(ay, zy) > H) { return; }
      var g = self.geometry(e);
      if (g.len < 30) { return; }
      tried++;
      if (e.twText !== e.text) { e.tw = ctx.measureText(e.text).width; e.twText = e.text; }
      var tw = e.tw, b = null;
      var nx = -(g.y2 - g.y1) / g.len, ny = (g.x2 - g.x1) / g.len;
      for (var k = 0; k < 15 && !b; k++) {
        var t = [0.5, 0.35, 0.65, 0.2, 0.8][k % 5], off = [0, 11, -11][Math.floor(k / 5)], u = 1 - t;
        var px = (g.bent ? u * u * g.x1 + 2 * u * t * g.cx + t * t * g.x2 : u * g.x1 + t * g.x2) + nx * off;
        var py = (g.bent ? u * u * g.y1 + 2 * u * t * g.cy + t * t * g.y2 : u * g.y1 + t * g.y2) + ny * off;
        var c = { x: px - tw / 2 - 2, y: py - 8, w: tw + 4, h: 15 };
        if (c.x >= 0 && c.y >= 0 && c.x + c.w <= W && c.y + c.h <= H && !occ.hits(c)) { b = c; }
      }
      if (!b) { return; }
      occ.add(b); taken.add(b);
      ctx.globalAlpha = 1;
      ctx.fillStyle = "rgba(255,255,255,0.88)";
      ctx.fillRect(b.x, b.y, b.w, b.h);
      ctx.fillStyle = e.colour;
      ctx.fillText(e.text, b.x + 2, b.y + 7.5);
      values.push({ edge: i, x: b.x, y: b.y, w: b.w, h: b.h, text: e.text });
    });

    var limit = Math.max(40, Math.min(200, Math.round(W * H / 4500)));
    ctx.textBaseline = "middle";
    ctx.lineJoin = "round";
    var count = 0, font = null, todo = [];
    for (var c = 0; c < cands.length && count < limit; c++) {
      var it = cands[c], n = it.n;
      if (n.dim && !n.forced) { continue; }
      if (c > limit * 6 && !n.forced) { break; }         // the rest would not fit anyway
      var big = n.forced || n.focus;
      var size = big ? 13 : 12;
      var f = (big ? "600 " : "") + size + "px " + FONT;
      if (f !== font) { ctx.font = font = f; }        // setting a font parses it: only when it changes
      if (n.tw === undefined || n.twBig !== big) { n.tw = ctx.measureText(n.label).width; n.twBig = big; }
      var tw = n.tw, th = size + 3;
      var spots = [[it.x + it.r + 4, it.y - th / 2], [it.x - it.r - 4 - tw, it.y - th / 2],
                   [it.x - tw / 2, it.y + it.r + 2], [it.x - tw / 2, it.y - it.r - 2 - th]];
      if (n.forced) {                    // further out, for the labels that must be shown
        [1, 2, 3].forEach(function (k) {
          var d = k * (th + 2);
          spots.push([it.x - tw / 2, it.y + it.r + 2 + d], [it.x - tw / 2, it.y - it.r - 2 - th - d],
                     [it.x + it.r + 4, it.y - th / 2 + d], [it.x + it.r + 4, it.y - th / 2 - d],
                     [it.x - it.r - 4 - tw, it.y - th / 2 + d], [it.x - it.r - 4 - tw, it.y - th / 2 - d]);
        });
      }
      var chosen = null;
      for (var pass = 0; pass < (n.forced ? 2 : 1) && !chosen; pass++) {
        for (var s = 0; s < spots.length; s++) {
          var b = { x: spots[s][0], y: spots[s][1], w: tw, h: th };
          if (b.x < 0 || b.y < 0 || b.x + b.w > W || b.y + b.h > H) { continue; }
          if (!taken.hits(b) && (pass === 1 || !occ.hits(b))) { chosen = b; break; }
        }
      }
      if (!chosen && !n.forced) { continue; }
      if (!chosen) { chosen = { x: spots[0][0], y: spots[0][1], w: tw, h: th, forced: true }; }
      taken.add(chosen);
      occ.add(chosen);
      todo.push([chosen, n, f, th]);
      placed.push({ node: it.i, x: chosen.x, y: chosen.y, w: chosen.w, h: chosen.h, forced: !!chosen.forced });
      count++;
    }
    // placed boxes never overlap, so all light boxes go in one path per alpha, then the names by font
    [false, true].forEach(function (dim) {
      ctx.globalAlpha = dim ? 0.35 : 1;
      ctx.fillStyle = "rgba(255,255,255,0.78)";           // a light box behind the name, cheaper than a halo
      ctx.beginPath();
      todo.forEach(function (t) { if (!!t[1].dim === dim) { ctx.rect(t[0].x - 1, t[0].y + 1, t[0].w + 2, t[0].h - 2); } });
      ctx.fill();
      ctx.fillStyle = "#1d2433";
      todo.forEach(function (t) {
        if (!!t[1].dim !== dim) { return; }
        if (t[2] !== font) { ctx.font = font = t[2]; }
        ctx.fillText(t[1].label, t[0].x, t[0].y + t[3] / 2);
      });
    });
    ctx.globalAlpha = 1;
  };

  // ------------------------------------------------------------------ hit testing and input
  Renderer.prototype.nodeAt = function (px, py) {
    var best = -1, bestD = Infinity;
    for (var i = this.nodes.length - 1; i >= 0; i--) {
      var n = this.nodes[i];
      if (!n.visible) { continue; }
      var dx = this.sx(n.x) - px, dy = this.sy(n.y) - py, d = Math.sqrt(dx * dx + dy * dy);
      if (d <= this.radius(n) + 3 && d < bestD) { best = i; bestD = d; }
    }
    return best;
  };
  function segDist(px, py, x1, y1, x2, y2) {
    var dx = x2 - x1, dy = y2 - y1, l2 = dx * dx + dy * dy;
    var t = l2 ? Math.max(0, Math.min(1, ((px - x1) * dx + (py - y1) * dy) / l2)) : 0;
    var x = x1 + t * dx - px, y = y1 + t * dy - py;
    return Math.sqrt(x * x + y * y);
  }
  Renderer.prototype.edgeAt = function (px, py) {
    var best = -1, bestD = Infinity;
    for (var i = 0; i < this.edges.length; i++) {
      var e = this.edges[i];
      if (!e.visible) { continue; }
      var g = this.geometry(e);
      var d = g.bent ? Math.min(segDist(px, py, g.x1, g.y1, g.mx, g.my), segDist(px, py, g.mx, g.my, g.x2, g.y2))
                     : segDist(px, py, g.x1, g.y1, g.x2, g.y2);
      if (d <= Math.max(4, this.widthOf(e) / 2 + 2) && d < bestD) { best = i; bestD = d; }
    }
    return best;
  };

  Renderer.prototype.bind = function () {
    var self = this, c = this.canvas, drag = null, hoverPending = null;
    function pos(ev) { var b = c.getBoundingClientRect(); return { x: ev.clientX - b.left, y: ev.clientY - b.top }; }
    c.addEventListener("wheel", function (ev) {
      ev.preventDefault();
      var p = pos(ev);
      self.zoomAt(Math.exp(-ev.deltaY * 0.0015), p.x, p.y);
      if (self.opts.onHover) { self.opts.onHover(null); }
    }, { passive: false });
    c.addEventListener("mousedown", function (ev) {
      var p = pos(ev);
      drag = { x: p.x, y: p.y, tx: self.tx, ty: self.ty, moved: false };
    });
    window.addEventListener("mouseup", function (ev) {
      if (!drag) { return; }
      var moved = drag.moved;
      drag = null;
      if (moved) { self.zooming = false; self.request("full"); return; }
      var p = pos(ev);
      if (self.opts.onClick) {
        var n = self.nodeAt(p.x, p.y);
        self.opts.onClick(n >= 0 ? { node: n } : (function () { var e = self.edgeAt(p.x, p.y); return e >= 0 ? { edge: e } : {}; }()));
      }
    });
    c.addEventListener("mousemove", function (ev) {
      var p = pos(ev);
      if (drag) {
        if (Math.abs(p.x - drag.x) + Math.abs(p.y - drag.y) > 3) { drag.moved = true; }
        if (drag.moved) {
          self.tx = drag.tx + p.x - drag.x; self.ty = drag.ty + p.y - drag.y;
          self.zooming = true; self.request("fast");
          if (self.opts.onHover) { self.opts.onHover(null); }
        }
        return;
      }
      if (hoverPending) { return; }
      hoverPending = requestAnimationFrame(function () {
        hoverPending = null;
        if (!self.opts.onHover) { return; }
        var n = self.nodeAt(p.x, p.y);
        if (n >= 0) { self.opts.onHover({ node: n, x: p.x, y: p.y }); return; }
        var e = self.edgeAt(p.x, p.y);
        self.opts.onHover(e >= 0 ? { edge: e, x: p.x, y: p.y } : null);
      });
    });
    c.addEventListener("mouseleave", function () { if (self.opts.onHover) { self.opts.onHover(null); } });
    window.addEventListener("resize", function () { self.resize(); self.request("full"); });
  };

  window.DealgraphRenderer = Renderer;
}());
