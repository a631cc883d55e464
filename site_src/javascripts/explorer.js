// The statement explorer (statements/): filters and sorts the statements of statements/index.json
// (atlas/render/explorer.py writes it) and shows them PAGE at a time, each linking to its
// highlighted sentence. The words of the statements (quote, speaker chain) are in separate
// files, fetched for the rows shown, or all of them once words are searched. The filters live in
// the page's address (?words=…&speaker=…; not q, which the theme's search takes), so a filtered list can be linked to. Every value from the
// data goes into the page as text (textContent), never as markup.
(function () {
  "use strict";
  var root = document.getElementById("atlas-explorer");
  if (!root) return;
  var PAGE = 50;
  var form = root.querySelector("form");
  var count = root.querySelector(".atlas-explorer-count");
  var list = root.querySelector(".atlas-explorer-rows");
  var more = root.querySelector(".atlas-explorer-more");
  var site = root.getAttribute("data-root");
  var data = null;
  var words = {};      // part file -> its words, once fetched
  var fetching = {};   // part file -> its promise
  var shown = PAGE;
  var run = 0;         // the latest update; an older one that finishes later is dropped

  function fetchJson(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error(url + ": " + r.status);
      return r.json();
    });
  }

  function part(row) { return data.parts[Math.floor(row[0] / data.part)]; }
  function key(row) { return row[0] + "/" + row[1]; }

  function load(parts) {
    return Promise.all(parts.map(function (name) {
      if (words[name]) return words[name];
      if (!fetching[name]) {
        fetching[name] = fetchJson(name).then(function (found) { words[name] = found; return found; });
      }
      return fetching[name];
    }));
  }

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function values() {
    var out = {};
    new FormData(form).forEach(function (value, name) { out[name] = String(value).trim(); });
    return out;
  }

  function indexOf(list, ident) {
    for (var i = 0; i < list.length; i++) if (list[i][0] === ident) return i;
    return -2;
  }

  // Every filter but the words, on the index alone.
  function matches(filter) {
    var speaker = filter.speaker ? indexOf(data.actors, filter.speaker) : -1;
    var actor = filter.actor ? indexOf(data.actors, filter.actor) : -1;
    var claim = filter.claim ? indexOf(data.claims, filter.claim) : -1;
    var source = filter.source ? indexOf(data.sources, filter.source) : -1;
    var stance = filter.stance ? data.stances.indexOf(filter.stance) : -1;
    return data.rows.filter(function (row) {
      if (filter.speaker === "~unnamed" && row[3] !== 1) return false;
      if (filter.speaker === "~outlet" && row[3] !== 2) return false;
      if (speaker >= 0 && row[2].indexOf(speaker) < 0) return false;
      if (speaker === -2 && filter.speaker.charAt(0) !== "~") return false;
      if (actor !== -1 && row[2].indexOf(actor) < 0 && row[4].indexOf(actor) < 0) return false;
      if (source !== -1 && row[0] !== source) return false;
      if (claim !== -1 || stance !== -1) {
        var hit = row[5].some(function (r) {
          return (claim === -1 || r[0] === claim) && (stance === -1 || r[1] === stance);
        });
        if (!hit) return false;
      }
      if (filter.from && !(row[7] && row[7] >= filter.from)) return false;
      if (filter.to && !(row[6] && row[6] <= filter.to)) return false;
      return true;
    });
  }

  function haystack(row) {
    var found = words[part(row)][key(row)];
    var parts = [found[0], found[1], data.sources[row[0]][1]];
    row[5].forEach(function (r) { parts.push(data.claims[r[0]][1]); });
    row[2].forEach(function (a) { parts.push(data.actors[a][1]); });
    return fold(parts.join(" \u0001 "));
  }

  function speakerName(row) {
    return row[2].length ? data.actors[row[2][0]][1] : (row[3] === 1 ? "\uffff" : "\ufffe");
  }

  function sorter(by) {
    var compare = {
      "source": function (a, b) { return 0; },
      "date": function (a, b) { return (a[6] || "9999") < (b[6] || "9999") ? -1 : (a[6] || "9999") > (b[6] || "9999") ? 1 : 0; },
      "-date": function (a, b) { return (a[7] || "") > (b[7] || "") ? -1 : (a[7] || "") < (b[7] || "") ? 1 : 0; },
      "speaker": function (a, b) { return speakerName(a).localeCompare(speakerName(b)); },
      "claim": function (a, b) { return data.claims[a[5][0][0]][1].localeCompare(data.claims[b[5][0][0]][1]); }
    }[by] || function () { return 0; };
    // stable: ties keep the index order (source, then text order)
    return function (a, b) { return compare(a, b) || (a.order - b.order); };
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function link(href, text, className) {
    var a = el("a", className, text);
    a.setAttribute("href", href);
    return a;
  }

  function row(r) {
    var source = data.sources[r[0]];
    var found = words[part(r)][key(r)];
    var stances = {};
    r[5].forEach(function (x) { stances[x[1]] = true; });
    var stanceNames = Object.keys(stances);
    var item = el("li", "atlas-explorer-row atlas-quote atlas-stance-" + (stanceNames.length === 1 ? data.stances[stanceNames[0]] : "mixed"));
    item.setAttribute("data-statement", source[0] + "#" + r[1]);
    var quote = el("p", "atlas-explorer-quote");
    quote.appendChild(link(site + "sources/" + encodeURIComponent(source[0]) + "/#s-" + encodeURIComponent(r[1]), "\u201c" + found[0] + "\u201d"));
    item.appendChild(quote);
    item.appendChild(el("p", "atlas-explorer-who", found[1]));
    var readings = el("ul", "atlas-readings");
    r[5].forEach(function (x) {
      var li = el("li");
      var stance = data.stances[x[1]];
      li.appendChild(el("span", "atlas-stance-label atlas-stance-" + stance, stance));
      li.appendChild(document.createTextNode(" "));
      li.appendChild(link(site + "claims/" + encodeURIComponent(data.claims[x[0]][0]) + "/", data.claims[x[0]][1], "atlas-claim"));
      readings.appendChild(li);
    });
    item.appendChild(readings);
    var meta = el("p", "atlas-explorer-meta");
    meta.appendChild(document.createTextNode("In "));
    meta.appendChild(link(site + "sources/" + encodeURIComponent(source[0]) + "/", source[1], "atlas-source"));
    var when = r[6] ? (r[6] === r[7] ? r[6] : r[6] + " to " + (r[7] || "?")) : "date not known";
    meta.appendChild(document.createTextNode(" (" + (source[2] || "outlet not known") + ") · " + when));
    item.appendChild(meta);
    return item;
  }

  function address(filter) {
    var params = new URLSearchParams();
    Object.keys(filter).forEach(function (name) {
      if (filter[name] && !(name === "sort" && filter[name] === "source")) params.set(name, filter[name]);
    });
    var query = params.toString();
    history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
  }

  function update(keepShown) {
    // a filter changed before the index arrived: the index's own update reads the form then
    if (!data) return Promise.resolve();
    var mine = ++run;
    if (!keepShown) shown = PAGE;
    var filter = values();
    address(filter);
    var rows = matches(filter);
    var terms = filter.words ? fold(filter.words).split(/\s+/).filter(Boolean) : [];
    var needed = terms.length ? data.parts : [];
    if (terms.length) count.textContent = "Searching the words…";
    return load(needed).then(function () {
      if (mine !== run) return;
      if (terms.length) {
        rows = rows.filter(function (r) {
          var text = haystack(r);
          return terms.every(function (t) { return text.indexOf(t) >= 0; });
        });
      }
      rows.sort(sorter(filter.sort || "source"));
      var page = rows.slice(0, shown);
      var parts = [];
      page.forEach(function (r) { if (parts.indexOf(part(r)) < 0) parts.push(part(r)); });
      return load(parts).then(function () {
        if (mine !== run) return;
        list.textContent = "";
        page.forEach(function (r) { list.appendChild(row(r)); });
        count.textContent = rows.length === data.rows.length
          ? "All " + rows.length + " statements."
          : rows.length + (rows.length === 1 ? " statement matches" : " statements match") + " (of " + data.rows.length + ")" +
            (page.length < rows.length ? "; the first " + page.length + " are shown." : ".");
        more.hidden = page.length >= rows.length;
      });
    }).catch(function (error) {
      count.textContent = "The statements could not be loaded (" + error.message + ").";
    });
  }

  function restore() {
    var params = new URLSearchParams(window.location.search);
    params.forEach(function (value, name) {
      var field = form.elements.namedItem(name);
      if (field) field.value = value;
    });
  }

  var typing = null;
  form.addEventListener("input", function (event) {
    window.clearTimeout(typing);
    typing = window.setTimeout(function () { update(false); }, event.target.type === "search" ? 200 : 0);
  });
  form.addEventListener("change", function () { update(false); });
  form.addEventListener("submit", function (event) { event.preventDefault(); update(false); });
  form.addEventListener("reset", function () { window.setTimeout(function () { update(false); }, 0); });
  more.addEventListener("click", function () { shown += PAGE; update(true); });

  count.textContent = "Loading the statements…";
  fetchJson(root.getAttribute("data-index")).then(function (index) {
    data = index;
    data.rows.forEach(function (r, i) { r.order = i; });
    restore();
    return update(false);
  }).catch(function (error) {
    count.textContent = "The statements could not be loaded (" + error.message + ").";
  });
})();
