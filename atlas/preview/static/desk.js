// The preview's annotation desk (served by atlas/preview/desk.py under /_atlas/, never part of the
// published site). On a source page: select a passage of the text, choose "New statement" or
// "New mention", confirm the guessed fields, then copy the YAML or write it into the source's file.
// Every call carries this run's secret from the page's meta element. Text from the server or the
// dataset is only ever put into the page as text (textContent, option labels), never as markup.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="atlas-desk"]');
  if (!meta) return;
  var SECRET = meta.getAttribute("content");
  var STORE = "atlas-desk-result";
  var PENDING = "atlas-desk-pending";
  // what a paragraph shows that is not the article's text: a statement's tooltip, a region's badge
  var NOT_TEXT = "atlas-tip, .atlas-region-label";

  function call(action, payload) {
    return fetch("/_atlas/api/" + action, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Atlas-Secret": SECRET },
      body: JSON.stringify(payload || {})
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) throw new Error(data.error || ("the preview answered " + response.status));
        return data;
      });
    });
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function option(value, label, selected) {
    var node = el("option", { value: value, text: label });
    if (selected) node.selected = true;
    return node;
  }

  function select(name, values, chosen, blank) {
    var node = el("select", { name: name, id: "atlas-desk-" + name });
    if (blank !== undefined) node.appendChild(option("", blank, !chosen));
    values.forEach(function (value) {
      var v = typeof value === "string" ? value : value.id;
      var label = typeof value === "string" ? value : value.name + " (" + value.id + ")";
      node.appendChild(option(v, label, v === chosen));
    });
    return node;
  }

  function field(label, control) {
    return el("p", { "class": "atlas-desk-field" }, [el("label", { "for": control.id, text: label }), control]);
  }

  // --- the result of the last write, shown again after the page reloads ---------------------------

  function showResult(result) {
    var old = document.getElementById("atlas-desk-result");
    if (old) old.remove();
    var ok = result.problems.every(function (line) { return line.indexOf(": error: ") < 0; });
    var box = el("div", { id: "atlas-desk-result", "class": "atlas-desk-result", role: "status" }, [
      el("p", { text: "Written: " + result.place + (result.id ? " " + result.id : "") + " into " + result.written +
        ", line " + result.line + (result.actor_written ? "; new actor " + result.actor_written : "") +
        (result.claim_written ? "; new claim " + result.claim_written : "") +
        ". check: " + result.summary + (ok ? "." : " (see the banner above).") }),
      el("pre", { text: result.yaml })
    ]);
    if (result.problems.length) {
      var list = el("ul");
      result.problems.forEach(function (line) { list.appendChild(el("li", {}, [el("code", { text: line })])); });
      box.appendChild(list);
    }
    var close = el("button", { type: "button", text: "Close" });
    close.addEventListener("click", function () { box.remove(); sessionStorage.removeItem(STORE); });
    box.appendChild(close);
    document.body.appendChild(box);
  }

  // A write reloads the page twice (serve builds the edited page first, then the pages it
  // reaches: cli/serve.py): the result is shown again on every load for KEEP_MS after the write,
  // or until it is closed.
  var KEEP_MS = 30000;

  function restore() {
    var stored = sessionStorage.getItem(STORE);
    var pending = sessionStorage.getItem(PENDING);
    sessionStorage.removeItem(PENDING);
    var kept = stored ? JSON.parse(stored) : null;
    var fresh = kept && kept.result && Date.now() - (kept.at || 0) < KEEP_MS;
    if (!fresh) sessionStorage.removeItem(STORE);
    if (fresh) {
      showResult(kept.result);
    } else if (pending) {  // the page reloaded before the answer came: ask for it again
      call("result", { nonce: pending }).then(function (result) { if (result.written) showResult(result); });
    }
  }

  // --- where the selection is, in the article's text ------------------------------------------------

  var textBox = document.querySelector(".atlas-text");
  var sourceMatch = location.pathname.match(/^\/sources\/([a-z0-9-]+)\/$/);

  function paragraphOf(node) {
    var element = node.nodeType === 1 ? node : node.parentElement;
    var p = element && element.closest('p[id^="p-"]');
    return p && textBox.contains(p) ? p : null;
  }

  function textNodes(p) {
    var walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        return node.parentElement.closest(NOT_TEXT) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }
    });
    var found = [];
    while (walker.nextNode()) found.push(walker.currentNode);
    return found;
  }

  function points(s) { return Array.from(s).length; }

  // (line, code points before the point in its paragraph), and the paragraph's text
  function place(node, offset) {
    var p = paragraphOf(node);
    if (!p) return null;
    var point = document.createRange();
    point.setStart(node, offset);
    point.collapse(true);
    var count = 0, whole = "";
    textNodes(p).forEach(function (t) {
      whole += t.data;
      if (t === node) count += points(t.data.slice(0, offset));
      else if (point.comparePoint(t, t.data.length) <= 0) count += points(t.data);
    });
    return { p: p, line: parseInt(p.id.slice(2), 10), offset: count, text: whole };
  }

  function selected() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
    var range = selection.getRangeAt(0);
    var a = place(range.startContainer, range.startOffset);
    var b = place(range.endContainer, range.endOffset);
    if (!a || !b) return null;
    var seen;
    if (a.p === b.p) {
      seen = Array.from(a.text).slice(a.offset, b.offset).join("");
    } else {
      var paras = Array.from(textBox.querySelectorAll('p[id^="p-"]'));
      var middle = paras.slice(paras.indexOf(a.p) + 1, paras.indexOf(b.p));
      seen = [Array.from(a.text).slice(a.offset).join("")].concat(middle.map(function (p) {
        return textNodes(p).map(function (t) { return t.data; }).join("");
      })).concat([Array.from(b.text).slice(0, b.offset).join("")]).join("\n");
    }
    if (!seen.trim()) return null;
    return { from: [a.line, a.offset], to: [b.line, b.offset], text: seen };
  }

  // --- the bar offered for a selection, and the forms --------------------------------------------

  var options = null;
  function withOptions() {
    return options ? Promise.resolve(options) : call("options").then(function (data) { options = data; return data; });
  }

  var bar = null, chosen = null;
  function offer() {
    var selection = selected();
    if (!selection) return;
    chosen = selection;
    if (!bar) {
      var statementButton = el("button", { type: "button", id: "atlas-desk-new-statement", text: "New statement" });
      var mentionButton = el("button", { type: "button", id: "atlas-desk-new-mention", text: "New mention" });
      statementButton.addEventListener("click", function () { open("statement"); });
      mentionButton.addEventListener("click", function () { open("mention"); });
      bar = el("div", { "class": "atlas-desk-bar", role: "toolbar", "aria-label": "Annotate the selected passage" },
        [el("span", { "class": "atlas-desk-quote" }), statementButton, mentionButton]);
      document.body.appendChild(bar);
    }
    bar.querySelector(".atlas-desk-quote").textContent = "“" + selection.text.slice(0, 80) + (selection.text.length > 80 ? "…" : "") + "”";
    bar.hidden = false;
  }

  function open(kind) {
    var selection = chosen;
    var dialog = el("dialog", { "class": "atlas-desk-dialog", id: "atlas-desk-dialog", "aria-label": kind === "statement" ? "New statement" : "New mention" });
    var status = el("p", { "class": "atlas-desk-status", role: "status", id: "atlas-desk-status" });
    dialog.appendChild(status);
    document.body.appendChild(dialog);
    dialog.showModal();
    dialog.addEventListener("close", function () { dialog.remove(); });
    status.textContent = "Reading the passage…";
    Promise.all([withOptions(), call("propose", { source: sourceMatch[1], from: selection.from, to: selection.to, text: selection.text })])
      .then(function (got) { status.textContent = ""; fill(dialog, status, kind, got[0], got[1]); })
      .catch(function (error) { status.textContent = error.message; dialog.appendChild(closeButton(dialog)); });
  }

  function closeButton(dialog) {
    var button = el("button", { type: "button", text: "Cancel" });
    button.addEventListener("click", function () { dialog.close(); });
    return button;
  }

  function fill(dialog, status, kind, opts, span) {
    var form = el("form", { "class": "atlas-desk-form" });
    // Enter in a field would submit the form and lose what was typed: only the buttons act
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    var heading = el("h2", { text: kind === "statement" ? "New statement" : "New mention" });
    var quote = el("blockquote", { "class": "atlas-desk-exact", text: span.exact });
    var context = el("p", { "class": "atlas-desk-context", text: span.prefix !== null ? "It occurs more than once: prefix “" + span.prefix + "” picks this one." :
      span.suffix !== null ? "It occurs more than once: suffix “" + span.suffix + "” picks this one." : "It occurs once in the text." });
    form.appendChild(heading); form.appendChild(quote); form.appendChild(context);
    var collect;
    if (kind === "statement") collect = statementFields(form, opts, span);
    else collect = mentionFields(form, opts);
    var yaml = el("pre", { "class": "atlas-desk-yaml", id: "atlas-desk-yaml" });
    var show = el("button", { type: "button", id: "atlas-desk-show-yaml", text: "Show YAML" });
    var copy = el("button", { type: "button", id: "atlas-desk-copy", text: "Copy YAML" });
    var write = el("button", { type: "button", id: "atlas-desk-write", text: "Write into the source file" });
    function payload() {
      var data = collect();
      data.source = sourceMatch[1]; data.start = span.start; data.end = span.end; data.exact = span.exact;
      data.kind = kind;
      return data;
    }
    show.addEventListener("click", function () {
      call("draft", payload()).then(function (data) { yaml.textContent = data.yaml; status.textContent = ""; })
        .catch(function (error) { status.textContent = error.message; });
    });
    copy.addEventListener("click", function () {
      call("draft", payload()).then(function (data) {
        yaml.textContent = data.yaml;
        return navigator.clipboard.writeText(data.yaml).then(function () { status.textContent = "Copied."; });
      }).catch(function (error) { status.textContent = error.message; });
    });
    write.addEventListener("click", function () {
      var nonce = Array.from(crypto.getRandomValues(new Uint8Array(16)), function (b) { return b.toString(16).padStart(2, "0"); }).join("");
      var data = payload(); data.nonce = nonce;
      sessionStorage.setItem(PENDING, nonce);
      status.textContent = "Writing…";
      call(kind, data).then(function (result) {
        sessionStorage.setItem(STORE, JSON.stringify({ result: result, at: Date.now() }));
        sessionStorage.removeItem(PENDING);
        dialog.close();
        showResult(result);
      }).catch(function (error) { sessionStorage.removeItem(PENDING); status.textContent = error.message; });
    });
    form.appendChild(el("p", { "class": "atlas-desk-buttons" }, [show, copy, write, closeButton(dialog)]));
    form.appendChild(yaml);
    dialog.insertBefore(form, status);
  }

  function mentionFields(form, opts) {
    var actor = select("actor", opts.actors, null, "— choose the actor —");
    var note = el("input", { type: "text", name: "note", id: "atlas-desk-note" });
    form.appendChild(field("Actor", actor));
    form.appendChild(field("Note (optional)", note));
    return function () { return { actor: actor.value || null, note: note.value }; };
  }

  function statementFields(form, opts, span) {
    var e = opts.enums;
    var hop = span.hop || {};
    var ident = el("input", { type: "text", name: "id", id: "atlas-desk-id", value: span.id, required: "" });
    var mode = select("mode", e.mode, span.mode);
    var speaker = select("speaker", opts.actors, hop.actor || "", "— none: the outlet's own voice —");
    speaker.insertBefore(option("@unnamed", "— unnamed (describe below) —", false), speaker.options[1]);
    speaker.insertBefore(option("@new", "— a new actor (write it below) —", false), speaker.options[2]);
    var newActor = el("fieldset", { "class": "atlas-desk-new-actor", id: "atlas-desk-new-actor" }, [el("legend", { text: "New actor" })]);
    var actorName = el("input", { type: "text", name: "actor-name", id: "atlas-desk-actor-name", placeholder: "the most common English form" });
    var actorKind = select("actor-kind", e.actor_kind, "", "— kind —");
    var actorAliases = el("input", { type: "text", name: "actor-aliases", id: "atlas-desk-actor-aliases", placeholder: "other spellings in the texts, separated by commas" });
    [field("Name", actorName), field("Kind", actorKind), field("Aliases", actorAliases)].forEach(function (f) { newActor.appendChild(f); });
    newActor.hidden = true;
    speaker.addEventListener("change", function () { newActor.hidden = speaker.value !== "@new"; });
    var unnamed = el("input", { type: "text", name: "unnamed", id: "atlas-desk-unnamed", placeholder: "e.g. unnamed officials" });
    var act = select("act", e.act, hop.act || "said");
    var channel = select("channel", e.channel, hop.channel || "", "— not said —");
    var to = select("to", opts.actors, hop.to || "", "— nobody named —");
    var relayed = span.relay || {};
    var relay = select("relay", opts.actors, relayed.actor || "", "— nobody: it reached the outlet directly —");
    var relayAct = select("relay-act", e.act, relayed.act || "reported");
    var search = el("input", { type: "search", name: "claim-search", id: "atlas-desk-claim-search", placeholder: "words, actors or an id" });
    var list = el("div", { "class": "atlas-desk-claims", role: "radiogroup", "aria-label": "Claims", id: "atlas-desk-claims" });
    var fresh = el("fieldset", { "class": "atlas-desk-new-claim", id: "atlas-desk-new-claim" }, [el("legend", { text: "New claim" })]);
    var sentence = el("input", { type: "text", name: "claim-statement", id: "atlas-desk-claim-statement", placeholder: "one neutral sentence, no attribution" });
    var kind = select("claim-kind", e.kind, "", "— kind —");
    var subject = select("claim-subject", opts.actors, "", "— subject —");
    subject.insertBefore(option("@new", "— the new actor —", false), subject.options[1]);
    var object = select("claim-object", opts.actors, "", "— object —");
    [field("Sentence", sentence), field("Kind", kind), field("Subject", subject), field("Object", object)].forEach(function (f) { fresh.appendChild(f); });
    var stance = select("stance", e.stance, "asserts");
    var support = select("support", e.support, "", "— not a support relation —");
    var readingNote = el("input", { type: "text", name: "reading-note", id: "atlas-desk-reading-note" });
    var note = el("input", { type: "text", name: "note", id: "atlas-desk-note" });

    function pick(id, label) {
      var radio = el("input", { type: "radio", name: "claim", value: id, id: "atlas-desk-claim-" + id });
      radio.addEventListener("change", function () { fresh.hidden = radio.value !== "@new"; });
      return el("label", { "class": "atlas-desk-claim", "for": radio.id }, [radio, document.createTextNode(" " + label)]);
    }
    function findClaims() {
      call("claims", { q: search.value }).then(function (data) {
        var keep = list.querySelector("input:checked");
        list.textContent = "";
        if (keep && keep.value !== "@new") list.appendChild(keep.parentElement);
        data.claims.forEach(function (c) {
          if (!keep || c.id !== keep.value) list.appendChild(pick(c.id, c.statement + " (" + c.id + ")"));
        });
        if (data.more) list.appendChild(el("p", { text: data.more + " more: add words to narrow the list" }));
        list.appendChild(pick("@new", "A new claim (write it below)"));
      });
    }
    search.addEventListener("input", findClaims);
    fresh.hidden = true;
    findClaims();

    [field("Statement id", ident), field("Mode", mode), field("Speaker", speaker), newActor, field("Unnamed speaker", unnamed),
      field("Act", act), field("Channel", channel), field("Addressed to", to),
      field("Relayed to the outlet by", relay), field("Relay's act", relayAct),
      field("Find a claim", search)].forEach(function (f) { form.appendChild(f); });
    form.appendChild(list);
    form.appendChild(fresh);
    [field("Stance", stance), field("Support (support relations)", support), field("Reading note (optional)", readingNote),
      field("Statement note (optional)", note)].forEach(function (f) { form.appendChild(f); });

    return function () {
      var attribution = [];
      if (speaker.value) {
        var first = { act: act.value, channel: channel.value || null, to: to.value || null };
        if (speaker.value === "@unnamed") first.unnamed = unnamed.value; else first.actor = speaker.value;
        attribution.push(first);
        if (relay.value) attribution.push({ actor: relay.value, act: relayAct.value });
      }
      var picked = list.querySelector("input:checked");
      var data = { id: ident.value, mode: mode.value, attribution: attribution, note: note.value,
        readings: [{ claim: picked && picked.value !== "@new" ? picked.value : null, stance: stance.value,
          support: support.value || null, note: readingNote.value }] };
      if (speaker.value === "@new") {
        data.new_actor = { name: actorName.value, kind: actorKind.value,
          aliases: actorAliases.value.split(",").map(function (a) { return a.trim(); }).filter(Boolean) };
      }
      if (picked && picked.value === "@new") {
        data.new_claim = { statement: sentence.value, kind: kind.value,
          subject: subject.value ? [subject.value] : [], object: object.value ? [object.value] : [] };
      }
      return data;
    };
  }

  restore();
  if (textBox && sourceMatch) {  // on the document: a drag may end outside the text
    document.addEventListener("mouseup", offer);
    document.addEventListener("keyup", function (event) { if (!event.target.closest("dialog, input, select")) offer(); });
  }
})();
