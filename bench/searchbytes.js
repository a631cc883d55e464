/* Run the site's search client (site_src/javascripts/search-worker.js) under node over a built
 * site, one fresh client per query, as a reader's browser does on its first query: every file the
 * query fetches (the index settings every page loads, the worker script, then the shards and
 * document chunks) is read from the site folder and counted.
 *
 *     node bench/searchbytes.js SITE_DIR QUERY...
 *
 * Prints one JSON line per query: {query, bytes, files, items} (items: the result groups, each a
 * list of [location, title, text, score]).
 */
"use strict";
const fs = require("fs");
const path = require("path");
const { createSearch } = require(path.join(__dirname, "..", "site_src", "javascripts", "search-worker.js"));

async function run(site, query) {
  const stubPath = path.join(site, "search", "search_index.json");
  const worker = path.join(site, "javascripts", "search-worker.js");
  const stub = fs.readFileSync(stubPath);
  let bytes = stub.length + fs.statSync(worker).size;
  const files = [];
  const engine = createSearch(JSON.parse(stub).config, async (rel) => {
    const file = path.join(site, "search", rel);
    if (!fs.existsSync(file)) {
      files.push(`missing: ${rel}`);
      return null;
    }
    const data = fs.readFileSync(file);
    bytes += data.length;
    files.push(rel);
    return JSON.parse(data);
  });
  const result = await engine.search(query);
  const items = result.items.map((group) => group.map((d) => [d.location, d.title, d.text, d.score]));
  return { query, bytes, files, items };
}

(async () => {
  const [site, ...queries] = process.argv.slice(2);
  for (const query of queries) console.log(JSON.stringify(await run(site, query)));
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
