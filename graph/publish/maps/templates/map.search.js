// dealgraph map search: names, aliases and asset codes matched forgivingly and ranked, in the page
// (no request, no DOM). Case, accents, spaces, hyphens and punctuation do not count ('&' reads as
// 'and'), and a typo or two is forgiven: one in a query of 4 to 7 characters, two from 8 (a typo
// is a letter added, dropped, changed, or two neighbours swapped). Ranked: whole name > start of
// the name > start of a word > inside the name > near miss > every word of a query found; ties go
// to the heavier entry (more deal value), then the shorter name.
//   var ix = new DealgraphSearch.Index([["Merck & Co., Inc.", "node", 3, 1e9], ["SSGJ-707", "asset", "ssgj-707", 0]]);
//   ix.ranked("merck and co")  // -> [{score: 90, entry: [..., "Merck & Co., Inc.", ...]}]
//   ix.ranked("ssgj707")       // -> [{score: 100, entry: [..., "SSGJ-707", ...]}]
(function () {
  "use strict";
  function norm(s) {
    return String(s).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/&/g, " and ")
      .replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }
  function allowed(len) { return len >= 8 ? 2 : len >= 4 ? 1 : 0; }
  // edit distance with swaps of neighbours (optimal string alignment), or k + 1 once above k
  function distance(a, b, k) {
    if (Math.abs(a.length - b.length) > k) { return k + 1; }
    var prev2 = null, prev = [], cur;
    for (var j = 0; j <= b.length; j++) { prev.push(j); }
    for (var i = 1; i <= a.length; i++) {
      cur = [i];
      var low = i;
      for (j = 1; j <= b.length; j++) {
        var c = a[i - 1] === b[j - 1] ? 0 : 1;
        var v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + c);
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) { v = Math.min(v, prev2[j - 2] + 1); }
        cur.push(v);
        if (v < low) { low = v; }
      }
      if (low > k) { return k + 1; }
      prev2 = prev; prev = cur;
    }
    return prev[b.length];
  }
  function score(q, qc, qw, e) {
    var s = e[0], c = e[5], k = allowed(qc.length), d, best = 0;
    if (s === q || c === qc) { return 100; }
    if (s.indexOf(q) === 0 || c.indexOf(qc) === 0) { return 90; }
    if ((" " + s).indexOf(" " + q) >= 0) { return 80; }
    if (qc.length >= 3 && c.indexOf(qc) >= 0) { return 70; }
    if (k) {
      d = Math.min(distance(qc, c, k), distance(q, s, k));
      if (d <= k) { return 60 - 10 * d; }
      d = Math.min(distance(qc, c.slice(0, qc.length), k), distance(q, s.slice(0, q.length), k));
      e[4].forEach(function (w) { if (w.length >= qc.length - k) { d = Math.min(d, distance(qc, w.slice(0, qc.length), k)); } });
      if (d <= k) { best = 50 - 10 * d; }
    }
    if (!best && qw.length > 1 && qw.every(function (t) {        // each word of the query found
      return e[4].some(function (w) {
        return w === t || (t.length >= 3 && w.indexOf(t) === 0) || (t.length >= 5 && distance(t, w, 1) <= 1);
      });
    })) { best = 30; }
    return best;
  }

  // items: [name as written, kind, reference, weight]; entries: [normalised name, kind, reference,
  // name as written, words, name without spaces, weight]
  function Index(items) {
    this.entries = [];
    var self = this;
    items.forEach(function (it) {
      var n = norm(it[0]);
      if (n) { self.entries.push([n, it[1], it[2], it[0], n.split(" "), n.replace(/ /g, ""), it[3]]); }
    });
  }
  // the best `max` matches (10 by default), each {score, entry}, one per (kind, reference) at its best name
  Index.prototype.ranked = function (q, max) {
    q = norm(q || "");
    if (!q) { return []; }
    var qc = q.replace(/ /g, ""), qw = q.split(" "), hits = [], by = {};
    this.entries.forEach(function (e) {
      var sc = score(q, qc, qw, e);
      if (!sc) { return; }
      var key = e[1] + ":" + e[2];
      if (by[key] && by[key].score >= sc) { return; }
      if (by[key]) { hits.splice(hits.indexOf(by[key]), 1); }
      by[key] = { score: sc, entry: e };
      hits.push(by[key]);
    });
    hits.sort(function (a, b) {
      return b.score - a.score || b.entry[6] - a.entry[6] || a.entry[3].length - b.entry[3].length
        || a.entry[3].localeCompare(b.entry[3]);
    });
    return hits.slice(0, max || 10);
  };

  window.DealgraphSearch = { norm: norm, distance: distance, Index: Index };
}());
