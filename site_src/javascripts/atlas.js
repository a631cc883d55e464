// The passage panel of a source page (atlas/render/passages.py writes what it shows).
//
// A highlighted passage opens the page's one panel: on hover, on keyboard focus, on a tap or
// click (which keeps it open), and on arrival by its anchor (#s-<id>). The panel lists the
// statement opened, then every other statement on its words (those enclosing it and those
// inside it), each as its hidden info block beside the text has it. Enter or Space on a passage
// moves the focus into the panel; Escape closes it and gives the focus back to the passage; Tab
// past the panel's end goes on to the next passage. On a wide screen the panel opens below the
// passage's last line, never over it; on a narrow one it is a sheet at the bottom of the window,
// and the page scrolls so that the passage stays visible above it. The copy buttons put a
// passage's citation (plain text or CSL-JSON, from #atlas-citations) on the clipboard.
(function () {
  "use strict";
  var panel = document.getElementById("atlas-panel");
  if (!panel) return;
  var body = panel.querySelector(".atlas-panel-body");
  var title = panel.querySelector(".atlas-panel-title");
  var status = panel.querySelector(".atlas-copy-status");
  var wrap = panel.parentElement;
  var citations = {};
  var data = document.getElementById("atlas-citations");
  if (data) citations = JSON.parse(data.textContent);
  var current = null;   // the highlight (with an id) the panel is open for
  var pinned = false;   // opened by a tap, a click, Enter or an anchor: hovering away keeps it
  var timer = null;
  var quiet = false;
  var pointing = false; // a press is under way: its click, not the focus it gives, opens the panel
  var NARROW = "(max-width: 44.9375em)";
  var GAP = 6;

  function highlightOf(node) {
    var piece = node && node.closest ? node.closest(".atlas-st[data-st]") : null;
    return piece ? document.getElementById("s-" + piece.getAttribute("data-st")) : null;
  }

  // The statements on a passage's words: itself, those enclosing it, those inside it.
  function statementsOn(highlight) {
    var ids = [highlight.getAttribute("data-st")];
    var add = function (el) {
      var id = el.getAttribute("data-st");
      if (ids.indexOf(id) < 0) ids.push(id);
    };
    for (var up = highlight.parentElement.closest(".atlas-st[data-st]"); up; up = up.parentElement.closest(".atlas-st[data-st]")) add(up);
    highlight.querySelectorAll(".atlas-st[data-st]").forEach(add);
    return ids;
  }

  function fill(highlight) {
    var ids = statementsOn(highlight);
    body.textContent = "";
    ids.forEach(function (id, index) {
      var info = document.getElementById("s-" + id + "-info");
      if (!info) return;
      var entry = document.createElement("section");
      entry.className = info.className.replace("atlas-passage-info", "atlas-panel-entry");
      entry.setAttribute("data-st", id);
      if (index === 1) {
        var more = document.createElement("p");
        more.className = "atlas-panel-more";
        more.textContent = "Also on these words:";
        body.appendChild(more);
      }
      entry.innerHTML = info.innerHTML;
      body.appendChild(entry);
    });
    var readings = body.querySelectorAll(".atlas-reading").length;
    title.textContent = ids.length === 1
      ? "Passage: " + readings + (readings === 1 ? " reading" : " readings")
      : "Passage: " + ids.length + " statements, " + readings + " readings";
  }

  function place(highlight) {
    panel.classList.remove("atlas-panel-sheet");
    panel.style.top = panel.style.left = "";
    if (window.matchMedia(NARROW).matches) {
      panel.classList.add("atlas-panel-sheet");
      var rects = highlight.getClientRects();
      var last = rects[rects.length - 1] || highlight.getBoundingClientRect();
      var first = rects[0] || last;
      var room = window.innerHeight - panel.getBoundingClientRect().height - GAP;
      if (last.bottom > room) window.scrollBy(0, Math.min(last.bottom - room, first.top - GAP * 8));
      return;
    }
    var lines = highlight.getClientRects();
    var end = lines[lines.length - 1] || highlight.getBoundingClientRect();
    var start = lines[0] || end;
    var box = wrap.getBoundingClientRect();
    var width = panel.getBoundingClientRect().width;
    var left = Math.max(0, Math.min(start.left - box.left, box.width - width));
    var bottom = 0;
    for (var i = 0; i < lines.length; i++) bottom = Math.max(bottom, lines[i].bottom);
    panel.style.top = (bottom - box.top + GAP) + "px";
    panel.style.left = left + "px";
  }

  function open(highlight, keep) {
    window.clearTimeout(timer);
    if (current && current !== highlight) current.classList.remove("atlas-st-open");
    if (current !== highlight) fill(highlight);
    current = highlight;
    pinned = pinned && current === highlight ? true : !!keep;
    panel.hidden = false;
    highlight.classList.add("atlas-st-open");
    place(highlight);
  }

  function close(giveFocusBack) {
    window.clearTimeout(timer);
    if (!current) return;
    var was = current;
    panel.hidden = true;
    status.textContent = "";
    was.classList.remove("atlas-st-open");
    current = null;
    pinned = false;
    if (giveFocusBack) {
      quiet = true; // the focus coming back does not open the panel again
      was.focus();
      quiet = false;
    }
  }

  function later(fn) {
    window.clearTimeout(timer);
    timer = window.setTimeout(fn, 250);
  }

  // -- pointer: hover opens, leaving (the passage and the panel) closes, a click keeps it open
  document.addEventListener("mouseover", function (event) {
    if (panel.contains(event.target)) { window.clearTimeout(timer); return; }
    // on a narrow screen (a phone: a tap is also a hover) only a tap, a click or the focus opens it
    if (window.matchMedia(NARROW).matches) return;
    var highlight = highlightOf(event.target);
    if (highlight && !pinned) later(function () { open(highlight, false); });
    else if (!highlight && current && !pinned) later(function () { close(false); });
    else if (!highlight) window.clearTimeout(timer);
  });
  document.addEventListener("pointerdown", function () { pointing = true; }, true);
  document.addEventListener("pointercancel", function () { pointing = false; }, true);
  document.addEventListener("click", function (event) {
    pointing = false;
    if (panel.contains(event.target)) return;
    if (event.target.closest("a")) return; // a mention's link inside a passage: follow it
    var highlight = highlightOf(event.target);
    if (highlight) { open(highlight, true); pinned = true; return; }
    if (current) close(false);
  });

  // -- keyboard: focus opens, Enter or Space moves into the panel, Escape closes
  document.addEventListener("focusin", function (event) {
    if (panel.contains(event.target) || quiet || pointing) return;
    var highlight = highlightOf(event.target);
    if (highlight) { if (highlight !== current || !pinned) open(highlight, highlight === current && pinned); }
    else if (current && !pinned) close(false);
  });
  // the focus leaving the passages and the panel (to nothing, or elsewhere) closes an unpinned panel
  document.addEventListener("focusout", function (event) {
    var next = event.relatedTarget;
    if (!current || pinned || quiet) return;
    if (next && (panel.contains(next) || highlightOf(next))) return;
    if (current.matches(":hover") || panel.matches(":hover")) return;
    close(false);
  });
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key === "Escape" && current && (panel.contains(target) || target === current || !panel.hidden)) {
      close(panel.contains(target) || target === current);
      return;
    }
    if ((event.key === "Enter" || event.key === " ") && target.classList && target.classList.contains("atlas-st") && target.id) {
      event.preventDefault();
      open(target, true);
      pinned = true;
      panel.focus();
      return;
    }
    if (event.key === "Tab" && panel.contains(target) && current) {
      var stops = panel.querySelectorAll("a[href], button");
      if (!event.shiftKey && target === stops[stops.length - 1]) {
        var all = Array.prototype.slice.call(document.querySelectorAll(".atlas-text .atlas-st[id]"));
        var next = all[all.indexOf(current) + 1];
        if (next) { event.preventDefault(); next.focus(); }
      } else if (event.shiftKey && (target === panel || target === stops[0])) {
        event.preventDefault();
        current.focus();
      }
    }
  });
  panel.querySelector(".atlas-panel-close").addEventListener("click", function () { close(true); });

  // -- arrival by an anchor: the statement followed, first, in an open panel
  function arrive() {
    var match = /^#s-([^#]+)$/.exec(window.location.hash);
    var highlight = match ? document.getElementById("s-" + decodeURIComponent(match[1])) : null;
    if (highlight && highlight.classList.contains("atlas-st")) {
      open(highlight, true);
      pinned = true;
    }
  }
  window.addEventListener("hashchange", arrive);
  if (document.readyState === "complete") arrive(); else window.addEventListener("load", arrive);
  window.addEventListener("resize", function () { if (current) place(current); });

  // -- copying a citation
  panel.addEventListener("click", function (event) {
    var button = event.target.closest("[data-atlas-copy]");
    if (!button) return;
    var entry = citations[button.getAttribute("data-st")];
    if (!entry) return;
    var text = entry[button.getAttribute("data-atlas-copy")];
    var done = function () { status.textContent = "Citation copied."; };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, function () { status.textContent = "Copying was refused; the citation is: " + text; });
    } else {
      status.textContent = "The citation: " + text;
    }
  });
})();
