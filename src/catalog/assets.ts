/**
 * The catalog's two static files: its style sheet and its script. Both are ours and small; the
 * pages fetch nothing else (their Content-Security-Policy says so). The script only reads the
 * page's own markup (never inserts HTML), so nothing from a schema can run in it.
 */

/** assets/catalog.css */
export const CATALOG_CSS = `:root{--fg:#1d2330;--muted:#5a6272;--bg:#fff;--line:#d9dde5;--accent:#1f5fbf;--soft:#f3f5f9;--add:#e4f5e7;--del:#fbe5e5;--chg:#fff4d6;--bad:#a11919;--ok:#1d6b32;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
body{margin:0 auto;max-width:78rem;padding:0 1.25rem 4rem;line-height:1.5}
a{color:var(--accent)}a:focus-visible,button:focus-visible,input:focus-visible,summary:focus-visible{outline:3px solid #f0a500;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:var(--bg);padding:.5rem;z-index:9}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em}
pre{background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:.75rem;overflow:auto}
h1{margin:.2rem 0}h1 .package{font-weight:400;color:var(--muted);font-size:.6em}
.top{border-bottom:1px solid var(--line);padding:1rem 0}.meta,.counts,.help{color:var(--muted)}.help{margin:.2rem 0;font-size:.9em}
.search label{display:block;font-weight:600;margin-top:.5rem}.search input{width:100%;max-width:36rem;font:inherit;padding:.5rem .7rem;border:1px solid #9aa3b2;border-radius:6px}
.system{border-top:2px solid var(--line);margin-top:2rem}.system h2 code{font-size:.6em;color:var(--muted)}
.topic h3{margin-bottom:.25rem}.count{font-weight:400;color:var(--muted);font-size:.8em}
.events{list-style:none;padding:0;margin:0}.event-item{padding:.45rem 0;border-bottom:1px solid var(--soft)}.event-item .summary{margin:.1rem 0 0;color:var(--muted);font-size:.92em}
.type{background:var(--soft);padding:0 .3rem;border-radius:4px}
.badge{display:inline-block;font-size:.75em;padding:0 .4rem;border-radius:999px;border:1px solid var(--line);background:var(--soft);color:var(--fg)}.badge.deprecated{background:#fdecc8;border-color:#e8b64c}
.pictures summary{cursor:pointer;font-weight:600;margin:1rem 0 .5rem}.picture-frame{margin:0 0 1rem;overflow:auto;border:1px solid var(--line);border-radius:6px;padding:.5rem}
.picture{font:13px system-ui,sans-serif}.picture .node{fill:var(--soft);stroke:#8e99ab}.picture .node.d0,.picture .node.root{fill:#dbe7fb}.picture .node.d1{fill:#eef3fb}.picture text{fill:var(--fg)}.picture a:hover .node,.picture a:focus .node{stroke:var(--accent);stroke-width:2}
.picture .edge{fill:none;stroke:#8e99ab}.picture .edge.optional{stroke-dasharray:4 3}.picture .arrowhead{fill:#8e99ab}
figcaption{color:var(--muted);font-size:.9em}
.crumbs{font-size:.9em}
.tabs ul{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem;padding:0;margin:1rem 0;border-bottom:1px solid var(--line)}
.tabs a{display:block;padding:.4rem .8rem;border:1px solid var(--line);border-bottom:none;border-radius:6px 6px 0 0;text-decoration:none;background:var(--soft)}
.tabs a[aria-selected=true]{background:var(--bg);font-weight:600;position:relative;top:1px}
.panel{padding-top:.5rem}.panel[hidden]{display:none}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}.facts dt{color:var(--muted)}.facts dd{margin:0}
.notice.deprecated{background:#fdecc8;border-left:4px solid #e8b64c;padding:.5rem .75rem}
.table-wrap{overflow:auto}table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.93em}caption{text-align:left;color:var(--muted);padding:.25rem 0}
th,td{border-bottom:1px solid var(--line);padding:.35rem .5rem;text-align:left;vertical-align:top}thead th{background:var(--soft)}
.constraint{display:inline-block;background:var(--soft);border-radius:4px;padding:0 .3rem;margin:0 .15rem .15rem 0;font-size:.9em}
.fields tr.deprecated{opacity:.75}.toggle{border:none;background:none;cursor:pointer;font:inherit;padding:0 .25rem;width:1.4rem}.toggle[aria-expanded=false]{transform:rotate(-90deg)}
${Array.from({ length: 9 }, (_, d) => `.depth-${d} .indent{padding-left:${d * 1.25 + (d > 0 ? 0 : 0)}rem}`).join("")}
.indent{display:inline-block}
.verdict{padding:.6rem .8rem;border-radius:6px;border-left:5px solid}.verdict.breaking{background:var(--del);border-color:var(--bad)}.verdict.partial{background:var(--chg);border-color:#c98a00}.verdict.compatible{background:var(--add);border-color:var(--ok)}
.diff-table tr.added td,.diff-table tr.added th{background:var(--add)}.diff-table tr.removed td,.diff-table tr.removed th{background:var(--del)}.diff-table tr.changed td,.diff-table tr.changed th{background:var(--chg)}.diff-table tr.unchanged{color:var(--muted)}
.absent{color:var(--muted)}.changes li.breaking{color:var(--bad)}.changes li.ok{color:var(--ok)}.direction{color:var(--muted);font-size:.9em}
.empty{font-weight:600}
@media (prefers-color-scheme:dark){:root{--fg:#e6e9ef;--muted:#a3abba;--bg:#14171d;--line:#2e3440;--accent:#7fb0ff;--soft:#1f242d;--add:#173a22;--del:#42191b;--chg:#3d3212;--bad:#ff8c8c;--ok:#7fd79b}.badge.deprecated,.notice.deprecated{background:#4a3a12}.picture .node.d0,.picture .node.root{fill:#24385a}.picture .node.d1{fill:#1e2a3d}}
`;

/** assets/catalog.js */
export const CATALOG_JS = `"use strict";
// The event catalog's script: search as you type, version tabs, expandable field rows.
// It reads the page's own markup and never writes HTML.
(function () {
  var search = document.getElementById("search");
  if (search) {
    var items = Array.prototype.slice.call(document.querySelectorAll(".event-item"));
    var sections = Array.prototype.slice.call(document.querySelectorAll(".topic, .system"));
    var count = document.getElementById("search-count");
    var none = document.getElementById("no-match");
    var total = items.length;
    var filter = function () {
      var words = search.value.toLowerCase().split(/\\s+/).filter(Boolean);
      var shown = 0;
      items.forEach(function (li) {
        var text = li.getAttribute("data-search") || "";
        var hit = words.every(function (w) { return text.indexOf(w) >= 0; });
        li.hidden = !hit;
        if (hit) shown++;
      });
      sections.forEach(function (s) { s.hidden = !s.querySelector(".event-item:not([hidden])"); });
      count.textContent = words.length ? shown + " of " + total + " events match" : total + " events";
      none.hidden = shown > 0;
    };
    search.addEventListener("input", filter);
    search.addEventListener("keydown", function (e) {
      if (e.key !== "Enter") return;
      var first = document.querySelector(".event-item:not([hidden]) a");
      if (first) first.click();
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "/" && document.activeElement !== search) { e.preventDefault(); search.focus(); }
    });
    if (search.value) filter();
  }

  var nav = document.querySelector(".tabs");
  if (nav) {
    var tabs = Array.prototype.slice.call(nav.querySelectorAll("a[data-tab]"));
    var panels = Array.prototype.slice.call(document.querySelectorAll("[data-panel]"));
    nav.querySelector("ul").setAttribute("role", "tablist");
    tabs.forEach(function (t) {
      t.setAttribute("role", "tab");
      t.setAttribute("aria-controls", t.getAttribute("data-tab"));
      t.parentNode.setAttribute("role", "presentation");
    });
    panels.forEach(function (p) { p.setAttribute("role", "tabpanel"); });
    var select = function (id, focus) {
      if (!document.getElementById(id)) id = nav.getAttribute("data-default");
      tabs.forEach(function (t) {
        var on = t.getAttribute("data-tab") === id;
        t.setAttribute("aria-selected", on ? "true" : "false");
        t.tabIndex = on ? 0 : -1;
        if (on && focus) t.focus();
      });
      panels.forEach(function (p) { p.hidden = p.id !== id; });
    };
    var go = function (id, focus) {
      select(id, focus);
      if (history.replaceState) history.replaceState(null, "", "#" + id);
    };
    tabs.forEach(function (t, i) {
      t.addEventListener("click", function (e) { e.preventDefault(); go(t.getAttribute("data-tab"), false); });
      t.addEventListener("keydown", function (e) {
        var next = e.key === "ArrowRight" ? i + 1 : e.key === "ArrowLeft" ? i - 1 : e.key === "Home" ? 0 : e.key === "End" ? tabs.length - 1 : -2;
        if (next === -2) return;
        e.preventDefault();
        var target = tabs[(next + tabs.length) % tabs.length];
        go(target.getAttribute("data-tab"), true);
      });
    });
    Array.prototype.slice.call(document.querySelectorAll("a[data-tab-link]")).forEach(function (a) {
      a.addEventListener("click", function (e) { e.preventDefault(); go(a.getAttribute("data-tab-link"), false); window.scrollTo(0, 0); });
    });
    window.addEventListener("hashchange", function () { select(location.hash.slice(1), false); });
    select(location.hash.slice(1), false);
    // Opened at a version or a diff: show the tabs above it, not just the panel.
    // (after the browser's own jump to the fragment, which comes with the load event).
    if (location.hash) window.addEventListener("load", function () { setTimeout(function () { window.scrollTo(0, 0); }, 0); });
  }

  Array.prototype.slice.call(document.querySelectorAll("button.toggle")).forEach(function (b) {
    b.addEventListener("click", function () {
      var open = b.getAttribute("aria-expanded") !== "true";
      b.setAttribute("aria-expanded", open ? "true" : "false");
      b.setAttribute("aria-label", (open ? "Collapse " : "Expand ") + b.getAttribute("aria-label").replace(/^(Collapse|Expand) /, ""));
      (b.getAttribute("aria-controls") || "").split(" ").forEach(function (id) {
        var row = id && document.getElementById(id);
        if (row) row.hidden = !open;
      });
      // Re-expanding shows the rows below collapsed children too: keep their toggles in step.
      if (open) (b.getAttribute("aria-controls") || "").split(" ").forEach(function (id) {
        var row = id && document.getElementById(id);
        var inner = row && row.querySelector("button.toggle");
        if (inner) inner.setAttribute("aria-expanded", "true");
      });
    });
  });
})();
`;
