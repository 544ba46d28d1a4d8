/* dealgraph site: sortable and filterable tables, and the search box. Loaded as a file (the CSP allows no
   inline script). Everything it writes into the page is text (textContent), never HTML. */
(function () {
  'use strict';
  var root = document.body.getAttribute('data-root') || '';

  /* Fold text the way graph.find.search.normal does: no accents, case folded, '&' as 'and', punctuation as spaces. */
  function fold(s) {
    return s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/&/g, ' and ')
      .replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  }

  function cellKey(td, numeric) {
    var raw = td.hasAttribute('data-sort') ? td.getAttribute('data-sort') : td.textContent.trim();
    if (!numeric) return raw.toLowerCase();
    var n = parseFloat(raw.replace(/[^0-9.\-]/g, ''));
    return isNaN(n) ? null : n;
  }

  function sortBy(table, col, th) {
    var numeric = th.getAttribute('data-type') === 'num';
    var asc = th.getAttribute('aria-sort') !== 'ascending';
    table.querySelectorAll('thead th').forEach(function (h) { h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows).map(function (tr, i) {
      var td = tr.cells[col];
      return {tr: tr, i: i, k: td ? cellKey(td, numeric) : null};
    });
    rows.sort(function (a, b) {
      if (a.k === b.k) return a.i - b.i;
      if (a.k === null || a.k === '') return 1;            /* empty cells last either way */
      if (b.k === null || b.k === '') return -1;
      var c = a.k < b.k ? -1 : 1;
      return asc ? c : -c;
    });
    var fresh = body.cloneNode(false);                 /* rows go into a detached body: one layout, not one per row */
    rows.forEach(function (r) { fresh.appendChild(r.tr); });
    table.replaceChild(fresh, body);
  }

  function addFilter(table) {
    var box = document.createElement('div');
    box.className = 'filter';
    var input = document.createElement('input');
    input.type = 'search';
    input.placeholder = 'Filter rows…';
    input.setAttribute('aria-label', 'Filter the rows of this table');
    var count = document.createElement('span');
    var rows = Array.prototype.slice.call(table.tBodies[0].rows), keys = null;
    function apply() {
      var words = fold(input.value).split(' ').filter(Boolean), shown = 0;
      if (words.length && !keys) keys = rows.map(function (tr) { return fold(tr.textContent); });
      rows.forEach(function (tr, i) {
        var ok = !words.length || words.every(function (w) { return keys[i].indexOf(w) !== -1; });
        tr.hidden = !ok;
        if (ok) shown++;
      });
      count.textContent = shown + ' of ' + rows.length + ' rows';
    }
    input.addEventListener('input', apply);
    box.appendChild(input);
    box.appendChild(count);
    table.parentNode.insertBefore(box, table);
    apply();
  }

  document.querySelectorAll('table.sortable').forEach(function (table) {
    table.querySelectorAll('thead th').forEach(function (th, col) {
      th.tabIndex = 0;
      th.addEventListener('click', function () { sortBy(table, col, th); });
      th.addEventListener('keydown', function (e) { if (e.key === 'Enter') sortBy(table, col, th); });
    });
  });
  document.querySelectorAll('table.filterable').forEach(function (t) { if (t.tBodies[0].rows.length > 1) addFilter(t); });

  /* ---- search: the index (assets/search-index.js) is read the first time the box is used */
  var input = document.getElementById('search'), list = document.getElementById('search-results');
  var LIMIT = 25, active = -1, loading = false;

  function withIndex(then) {
    if (window.DG_SEARCH) return then();
    if (loading) return;
    loading = true;
    var s = document.createElement('script');
    s.src = root + 'assets/search-index.js';
    s.onload = function () { loading = false; then(); };
    document.head.appendChild(s);
  }

  /* Rank: 0 a name (or alias, code) is the query, 1 a name starts with it, 2 a word starts with it,
     3 it is anywhere; ties go to organizations, then assets, deals, events, sources, then shorter names. */
  var KIND = {organization: 0, asset: 1, deal: 2, event: 3, source: 4};

  function names(e) {
    if (!e.names) e.names = [e[1]].concat(e[2] ? e[2].split(' · ') : []).map(fold);
    return e.names;
  }

  function find(q) {
    var words = fold(q).split(' ').filter(Boolean);
    if (!words.length) return [];
    var phrase = words.join(' '), hits = [];
    window.DG_SEARCH.forEach(function (e) {
      var key = e[4];
      for (var i = 0; i < words.length; i++) if (key.indexOf(words[i]) === -1) return;
      var ns = names(e), rank = 3;
      if (ns.indexOf(phrase) !== -1) rank = 0;
      else if (ns.some(function (n) { return n.indexOf(phrase) === 0; })) rank = 1;
      else if ((' ' + key).indexOf(' ' + phrase) !== -1) rank = 2;
      hits.push([rank, e]);
    });
    hits.sort(function (a, b) {
      return a[0] - b[0] || KIND[a[1][0]] - KIND[b[1][0]] || a[1][1].length - b[1][1].length ||
        (a[1][1] < b[1][1] ? -1 : 1);
    });
    return hits.slice(0, LIMIT).map(function (h) { return h[1]; });
  }

  function show() {
    var hits = find(input.value);
    list.textContent = '';
    active = -1;
    if (!fold(input.value)) { list.hidden = true; return; }
    if (!hits.length) {
      var li = document.createElement('li');
      li.className = 'none';
      li.textContent = 'Nothing matches “' + input.value + '”';
      list.appendChild(li);
    }
    hits.forEach(function (e) {
      var li = document.createElement('li'), a = document.createElement('a'), k = document.createElement('span');
      k.className = 'k';
      k.textContent = e[0];
      a.href = root + e[3];
      a.appendChild(k);
      a.appendChild(document.createTextNode(e[1]));
      if (e[2]) {
        var alt = document.createElement('span');
        alt.className = 'alt';
        alt.textContent = e[2];
        a.appendChild(alt);
      }
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = false;
  }

  function move(step) {
    var items = list.querySelectorAll('li a');
    if (!items.length) return;
    if (active >= 0) items[active].parentNode.classList.remove('active');
    active = (active + step + items.length) % items.length;
    items[active].parentNode.classList.add('active');
    items[active].scrollIntoView({block: 'nearest'});
  }

  if (input) {
    input.addEventListener('input', function () { withIndex(show); });
    input.addEventListener('focus', function () { withIndex(function () { if (input.value) show(); }); });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'ArrowDown') { e.preventDefault(); move(1); }
      else if (e.key === 'ArrowUp') { e.preventDefault(); move(-1); }
      else if (e.key === 'Escape') { list.hidden = true; }
      else if (e.key === 'Enter') {
        var items = list.querySelectorAll('li a');
        if (items.length) window.location.href = items[Math.max(active, 0)].href;
      }
    });
    document.addEventListener('click', function (e) { if (!e.target.closest('.search')) list.hidden = true; });
  }
  document.body.setAttribute('data-ready', 'true');
}());
