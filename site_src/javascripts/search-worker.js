/* The site's search, run by the theme's search box as its web worker (the theme's "config.search"
 * names this file; atlas/publish/theme/main.html). It speaks the theme's worker messages: SETUP
 * (0) brings search/search_index.json's settings, READY (1) answers it, QUERY (2) brings the
 * query, RESULT (3) answers with result groups, each a page followed by its passages.
 *
 * The index (atlas/render/searchindex.py writes it, and says how its files are laid out) is
 * fetched a few small files at a time: for each query word its dictionary shard and the
 * postings shards of its terms, then the document chunks of the results shown. Every file comes
 * from this site, relative to this script, so the search works offline and under any sub-path.
 * Text from the index is escaped here: the theme inserts what it gets as HTML.
 *
 * Words are folded as the index folds them: NFKD, non-spacing marks dropped, lower case, runs
 * of letters and digits. A run of words that spells an actor's name or alias becomes the actor's
 * term, so every name of an actor finds the same results. All words must match (the last one as
 * typed so far may be the start of a word); when no document has them all, documents with most
 * of them come first and the missing words are shown.
 *
 * Also a CommonJS module (`createSearch`), so that the benchmark runs it under node.
 */
"use strict";

const MAX_GROUPS = 10; // result groups returned
const MAX_IN_GROUP = 10; // documents in one group
const MAX_CHUNKS = 24; // document chunks fetched for the best documents: a query's download stays bounded
const COMPLETIONS = 4; // words the last, unfinished query word may stand for

function fold(text) {
  return text.normalize("NFKD").replace(/\p{Mn}/gu, "").toLowerCase();
}

function tokens(text) {
  return fold(text).match(/[\p{L}\p{N}]+/gu) || [];
}

function fnv1a(term) {
  let value = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(term)) {
    value = Math.imul(value ^ byte, 0x01000193) >>> 0;
  }
  return value;
}

function escapeHTML(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/* A search over the index whose settings are `config.atlas`; `load(path)` resolves to the JSON
 * of a file under search/ (or null when it is missing). */
function createSearch(config, load) {
  const settings = config.atlas;
  const stop = new Set(settings.stop_words);
  const cache = new Map();
  const get = (path) => {
    if (!cache.has(path)) cache.set(path, load(path).catch(() => null));
    return cache.get(path);
  };
  // the first `prefix` characters as Python counts them (code points), hashed as the index does
  const dictionary = (word) => get(`t/${fnv1a(Array.from(word).slice(0, settings.prefix).join("")) % settings.keys}.json`);
  const posting = async (term) => {
    const shard = await get(`p/${fnv1a(term) % settings.shards}.json`);
    const flat = (shard && shard[term]) || [];
    const found = new Map();
    for (let i = 0, doc = 0; i < flat.length; i += 2) {
      doc += flat[i];
      found.set(doc, flat[i + 1]);
    }
    return found;
  };
  const documents = async (numbers) => {
    const chunks = [...new Set(numbers.map((n) => Math.floor(n / settings.per_chunk)))];
    const loaded = await Promise.all(chunks.map((c) => get(`d/${c}.json`)));
    const byChunk = new Map(chunks.map((c, i) => [c, loaded[i] || []]));
    const out = new Map();
    for (const n of numbers) {
      const entry = byChunk.get(Math.floor(n / settings.per_chunk))[n % settings.per_chunk];
      if (entry) out.set(n, { location: entry[0], title: entry[1], text: entry[2], parent: entry[3] });
    }
    return out;
  };

  /* The query's groups of terms: each word (with its completions when it is the last and
   * unfinished), or each run of words naming an actor. */
  async function groups(query) {
    const words = tokens(query);
    const open = words.length > 0 && !/[\s\p{P}]$/u.test(query);
    const shards = await Promise.all(words.map(dictionary));
    const out = [];
    for (let i = 0; i < words.length; ) {
      const name = longestName(words, i, shards[i]);
      if (name) {
        out.push({ word: words.slice(i, i + name.length).join(" "), terms: new Map(name.actors.map((a) => [a, 1])) });
        i += name.length;
        continue;
      }
      const word = words[i];
      const last = open && i === words.length - 1;
      i += 1;
      if (stop.has(word)) continue;
      const terms = new Map([[word, 1]]);
      if (last && word.length >= settings.prefix && shards[i - 1]) completions(word, shards[i - 1], terms);
      out.push({ word, terms });
    }
    return out;
  }

  function longestName(words, i, shard) {
    let best = null;
    for (const [name, actors] of (shard && shard.a) || []) {
      const parts = name.split(" ");
      if (parts.length > words.length - i || (best && parts.length <= best.length)) continue;
      if (parts.every((part, k) => part === words[i + k])) best = { length: parts.length, actors };
    }
    return best;
  }

  function completions(word, shard, terms) {
    const longer = shard.t.filter(([term]) => term.length > word.length && term.startsWith(word));
    longer.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    for (const [term] of longer.slice(0, COMPLETIONS)) terms.set(term, 0.8);
    for (const [name, actors] of shard.a) {
      if (!name.includes(" ") && name.startsWith(word)) for (const actor of actors) terms.set(actor, 0.8);
    }
  }

  /* document number -> {score, matched: set of group indexes} */
  async function score(found) {
    const scores = new Map();
    await Promise.all(found.map(async (group, index) => {
      const lists = await Promise.all([...group.terms].map(async ([term, factor]) => [await posting(term), factor]));
      const best = new Map();
      for (const [list, factor] of lists) {
        for (const [doc, weight] of list) best.set(doc, Math.max(best.get(doc) || 0, weight * factor));
      }
      for (const [doc, weight] of best) {
        const entry = scores.get(doc) || { score: 0, matched: new Set() };
        entry.score += weight;
        entry.matched.add(index);
        scores.set(doc, entry);
      }
    }));
    return scores;
  }

  async function search(query) {
    const found = await groups(query);
    if (!found.length) return { items: [] };
    const scores = await score(found);
    const ranked = [...scores].sort(([a, x], [b, y]) =>
      y.matched.size - x.matched.size || y.score - x.score || a - b);
    // the best documents, as far down the ranking as they lie in the first MAX_CHUNKS chunks it
    // reaches: a page's passages share chunks (they follow the page), so more pages are shown
    const chunks = new Set();
    const candidates = [];
    for (const [doc] of ranked) {
      const chunk = Math.floor(doc / settings.per_chunk);
      if (!chunks.has(chunk)) {
        if (chunks.size >= MAX_CHUNKS) continue;
        chunks.add(chunk);
      }
      candidates.push(doc);
    }
    const docs = await documents(candidates);
    const parents = [...new Set([...docs.values()].filter((d) => d.parent >= 0).map((d) => d.parent))];
    const parentDocs = await documents(parents.filter((p) => !docs.has(p)));
    for (const [n, d] of parentDocs) docs.set(n, d);
    const grouped = new Map();
    for (const doc of candidates) {
      const entry = docs.get(doc);
      if (!entry) continue;
      const head = entry.parent >= 0 ? entry.parent : doc;
      if (!grouped.has(head)) {
        if (grouped.size >= MAX_GROUPS) continue;
        grouped.set(head, []);
      }
      const members = grouped.get(head);
      if (members.length < MAX_IN_GROUP) members.push(doc);
    }
    const items = [];
    for (const [head, members] of grouped) {
      items.push(group(head, members, docs, scores, found));
    }
    return { items };
  }

  /* One result group as the theme renders it: the best document first (its score sets which
   * passages show and which fold under "more"), the page among them (the only one without #). */
  function group(head, members, docs, scores, found) {
    // how many query words a document has, then its weight squeezed below 1: the theme shows
    // a score with two decimals and opens the highest when Enter is pressed
    const score = (n) => {
      const entry = scores.get(n);
      return entry ? entry.matched.size + entry.score / (entry.score + 100) : 0;
    };
    const best = Math.max(...members.map(score));
    const item = (n, value) => {
      const doc = docs.get(n);
      const matched = scores.get(n) ? scores.get(n).matched : new Set();
      const terms = {};
      found.forEach((g, index) => { terms[escapeHTML(g.word)] = matched.has(index); });
      return { location: doc.location, title: escapeHTML(doc.title), text: escapeHTML(doc.text), score: value, terms };
    };
    const passages = members.filter((n) => n !== head);
    const out = passages.map((n) => item(n, score(n)));
    // a page that is only the heading of its passages scores just below the best of them, as the
    // theme shows a score (two decimals), so that Enter opens the passage, not the page
    const page = item(head, members.includes(head) ? score(head) : best - 0.01);
    if (!members.includes(head)) { // shown as the heading of its passages: no word is "missing" from it
      for (const key of Object.keys(page.terms)) page.terms[key] = true;
    }
    out.sort((a, b) => b.score - a.score);
    if (page.score >= (out.length ? out[0].score : 0)) out.unshift(page);
    else out.splice(1, 0, page);
    return out;
  }

  return { search, groups, tokens };
}

if (typeof module !== "undefined" && module.exports) {
  module.exports = { createSearch, tokens, fnv1a, fold };
} else if (typeof self !== "undefined" && typeof self.postMessage === "function") {
  let engine = null;
  let latest = 0;
  const base = new URL("../search/", self.location.href);
  self.addEventListener("message", async (event) => {
    const message = event.data || {};
    if (message.type === 0) {
      const config = message.data.config;
      const version = encodeURIComponent(config.atlas.version);
      engine = createSearch(config, async (path) => {
        const response = await fetch(new URL(`${path}?v=${version}`, base));
        return response.ok ? response.json() : null;
      });
      self.postMessage({ type: 1 });
    } else if (message.type === 2 && engine) {
      const ticket = ++latest;
      let result = { items: [] };
      try {
        result = await engine.search(String(message.data || ""));
      } catch (error) {
        result = { items: [] };
      }
      if (ticket === latest) self.postMessage({ type: 3, data: result });
    }
  });
}
