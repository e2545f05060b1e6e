/**
 * The catalog's HTML: the overview (systems, topics, events, search, the pictures) and one page
 * per event (every version's fields and examples, and the difference between consecutive
 * versions). Plain HTML that reads without script; `assets/catalog.js` adds the search-as-you-type,
 * the version tabs and the expandable rows. Every string from a schema is escaped.
 */

import { firstSentence } from "../generate/summary.js";
import type { FieldChange } from "./diff.js";
import type { Field } from "./fields.js";
import { escapeHtml as esc } from "./html-escape.js";
import type { Catalog, CatalogEvent, CatalogVersion, VersionChange } from "./model.js";
import { columnsSvg, graphSvg, type TreeNode } from "./svg.js";

/** Events in the domain picture at most; above that it stops at topics (with their counts). */
const PICTURE_EVENTS = 150;

/** The page of an event, relative to the catalog's root. */
export const eventPage = (key: string) => `events/${key}.html`;

/** A version's anchor on its event's page, and the anchor of the step to it. */
export const versionAnchor = (v: number) => `v${v}`;
export const diffAnchor = (from: number, to: number) => `diff-v${from}-v${to}`;

const VERDICTS: Record<VersionChange["verdict"], { label: string; tone: string; meaning: string }> = {
  none: {
    label: "Breaking in both directions",
    tone: "breaking",
    meaning: "Consumers of one version cannot read events of the other: a new version was needed.",
  },
  backward: {
    label: "Backward compatible",
    tone: "partial",
    meaning: "Consumers on the new version can read old events; consumers on the old version cannot read new ones.",
  },
  forward: {
    label: "Forward compatible",
    tone: "partial",
    meaning: "Consumers on the old version can read new events; consumers on the new version cannot read old ones.",
  },
  full: {
    label: "Fully compatible",
    tone: "compatible",
    meaning: "Each version reads the other's events: this change did not need a new version.",
  },
};

function layout(title: string, root: string, body: string, description: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'">
<meta name="description" content="${esc(description)}">
<title>${esc(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${root}assets/catalog.css">
<script src="${root}assets/catalog.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
${body}
</body>
</html>
`;
}

/** The overview: counts, search, systems with their topics and events, and the pictures. */
export function overviewPage(catalog: Catalog): string {
  const c = catalog.counts;
  const systems = catalog.systems
    .map((s) => {
      const topics = s.topics
        .map(
          (t) => `<section class="topic" aria-labelledby="topic-${esc(s.id)}-${esc(t.id)}">
<h3 id="topic-${esc(s.id)}-${esc(t.id)}">${esc(t.id)} <span class="count">${t.events.length} ${plural(t.events.length, "event")}</span></h3>
<ul class="events">
${t.events.map(eventItem).join("\n")}
</ul>
</section>`,
        )
        .join("\n");
      return `<section class="system" id="system-${esc(s.id)}" aria-labelledby="system-${esc(s.id)}-title">
<h2 id="system-${esc(s.id)}-title">${esc(s.title)} <code>${esc(s.id)}</code></h2>
<p class="meta">${s.owner ? `Owner: <strong>${esc(s.owner)}</strong>` : "No owner declared (no system.json)"}${s.source ? ` · source <code>${esc(s.source)}</code>` : ""}</p>
${s.description ? `<p>${esc(s.description)}</p>` : ""}
${topics}
</section>`;
    })
    .join("\n");
  const showEvents = c.events <= PICTURE_EVENTS;
  const roots: TreeNode[] = catalog.systems.map((s) => ({
    label: s.id,
    href: `#system-${s.id}`,
    children: s.topics.map((t) => ({
      label: showEvents ? t.id : `${t.id} (${t.events.length})`,
      href: `#topic-${s.id}-${t.id}`,
      children: showEvents ? t.events.map((e) => ({ label: e.event, href: eventPage(e.key), children: [] })) : [],
    })),
  }));
  const domain = columnsSvg(
    roots,
    "The domain: systems, topics and events",
    `${c.systems} systems, ${c.topics} topics and ${c.events} events, left to right.`,
  );
  const g = catalog.graph;
  const graph = g
    ? `<figure class="picture-frame">
${graphSvg(
  g.entities.map((e) => e.name),
  g.references,
  g.root,
  "Who refers to whom",
  `Each arrow goes from an entity to one it refers to. Deleting ${g.root} reaches every entity: each one is deleted before what it refers to.`,
)}
<figcaption>Who refers to whom: an arrow goes from an entity to the one it refers to (dashed: optional). When a test ${esc(g.root)} is deleted, every system deletes what refers to it, persisted events included, starting from the right.</figcaption>
</figure>`
    : "";
  const body = `<header class="top">
<h1>Event catalog <span class="package">${esc(catalog.packageName)}</span></h1>
<p class="counts">${c.systems} ${plural(c.systems, "system")} · ${c.topics} ${plural(c.topics, "topic")} · ${c.events} ${plural(c.events, "event")} · ${c.versions} ${plural(c.versions, "version")}${c.deprecated ? ` · ${c.deprecated} deprecated` : ""}</p>
<div class="search" role="search">
<label for="search">Search events</label>
<input id="search" type="search" autocomplete="off" spellcheck="false" placeholder="name, type, field or description" aria-describedby="search-help search-count">
<p id="search-help" class="help">Filters as you type; press Enter to open the first match, / to come back here.</p>
<p id="search-count" class="help" aria-live="polite">${c.events} ${plural(c.events, "event")}</p>
</div>
</header>
<main id="main">
<details class="pictures" open>
<summary>Pictures of the domain</summary>
<figure class="picture-frame">
${domain}
<figcaption>Systems, their topics and events${showEvents ? "" : ` (event counts per topic: more than ${PICTURE_EVENTS} events)`}. Each box links to its section or page.</figcaption>
</figure>
${graph}
</details>
<p id="no-match" class="empty" hidden>No event matches.</p>
${systems}
</main>`;
  return layout(
    `Event catalog: ${catalog.packageName}`,
    "",
    body,
    `The events of ${catalog.packageName}: ${c.events} events in ${c.systems} systems.`,
  );
}

function eventItem(e: CatalogEvent): string {
  const latest = e.versions.at(-1) as CatalogVersion;
  const fieldNames = [...new Set(e.versions.flatMap((v) => names(v.data)))];
  const search = [e.event, e.title, e.key, ...e.versions.map((v) => v.type), ...fieldNames, ...e.versions.map((v) => v.description)]
    .join(" ")
    .toLowerCase();
  const badges = e.versions
    .map(
      (v) =>
        `<span class="badge${v.deprecated ? " deprecated" : ""}" title="${esc(v.type)}">v${v.version}${v.deprecated ? " deprecated" : ""}</span>`,
    )
    .join(" ");
  return `<li class="event-item" data-search="${esc(search)}">
<a href="${esc(eventPage(e.key))}">${esc(e.title)}</a> <code class="type">${esc(latest.type)}</code> ${badges}
<p class="summary">${esc(firstSentence(latest.description))}</p>
</li>`;
}

function names(fields: readonly Field[]): string[] {
  return fields.flatMap((f) => [f.name, ...names(f.children)]).filter((n) => n !== "[]" && !n.startsWith("option "));
}

/** The page of one event: its versions as tabs, and the step between each two. */
export function eventPageHtml(catalog: Catalog, e: CatalogEvent): string {
  const latest = e.versions.at(-1) as CatalogVersion;
  const tabs: { id: string; label: string }[] = [];
  for (const v of e.versions) {
    if (v.change) tabs.push({ id: diffAnchor(v.change.from, v.version), label: `v${v.change.from} → v${v.version}` });
    tabs.push({ id: versionAnchor(v.version), label: `v${v.version}${v.latest ? " (latest)" : ""}${v.deprecated ? " (deprecated)" : ""}` });
  }
  const panels = e.versions.flatMap((v) => [...(v.change ? [diffPanel(e, v, v.change)] : []), versionPanel(catalog, e, v)]);
  const body = `<header class="top">
<nav class="crumbs" aria-label="Breadcrumb"><a href="../index.html">Event catalog</a> › <a href="../index.html#system-${esc(e.system)}">${esc(e.system)}</a> › <a href="../index.html#topic-${esc(e.system)}-${esc(e.topic)}">${esc(e.topic)}</a></nav>
<h1>${esc(e.title)}</h1>
<p class="meta">System <code>${esc(e.system)}</code> · topic <code>${esc(e.topic)}</code> · event <code>${esc(e.event)}</code>${e.owner ? ` · owner <strong>${esc(e.owner)}</strong>` : ""} · ${e.versions.length} ${plural(e.versions.length, "version")}</p>
</header>
<main id="main">
<nav class="tabs" aria-label="Versions and changes" data-default="${versionAnchor(latest.version)}">
<ul>
${tabs.map((t) => `<li><a href="#${t.id}" data-tab="${t.id}">${esc(t.label)}</a></li>`).join("\n")}
</ul>
</nav>
${panels.join("\n")}
</main>`;
  return layout(`${e.title} (${e.key}): event catalog`, "../", body, firstSentence(latest.description));
}

function versionPanel(catalog: Catalog, e: CatalogEvent, v: CatalogVersion): string {
  const sub = `${catalog.packageName}/${e.system}`;
  const usage = `import { validate, validators, type ${v.typeName} } from "${catalog.packageName}";
// or only ${e.system}'s events: from "${sub}"

const result = validators["${v.type}"](value);
if (result.ok) {
  const event: ${v.typeName} = result.event;
}`;
  const examples = v.examples.length
    ? v.examples
        .map(
          (x, i) =>
            `<figure class="example"><figcaption>Example ${i + 1} of <code>data</code></figcaption><pre><code>${esc(JSON.stringify(x, null, 2))}</code></pre></figure>`,
        )
        .join("\n")
    : "<p>No examples.</p>";
  return `<section class="panel" id="${versionAnchor(v.version)}" aria-labelledby="${versionAnchor(v.version)}-title" data-panel>
<h2 id="${versionAnchor(v.version)}-title">Version ${v.version}${v.latest ? ' <span class="badge">latest</span>' : ""}${v.deprecated ? ' <span class="badge deprecated">deprecated</span>' : ""}</h2>
${v.deprecated ? `<p class="notice deprecated" role="note">This version is deprecated${v.latest ? "" : `: use version ${latestOf(e)}`}.</p>` : ""}
<dl class="facts">
<dt>type</dt><dd><code class="type">${esc(v.type)}</code></dd>
<dt>TypeScript type</dt><dd><code>${esc(v.typeName)}</code></dd>
<dt>Owner</dt><dd>${e.owner ? esc(e.owner) : "none declared"}</dd>
</dl>
<p class="description">${esc(v.description)}</p>
<h3>Data fields</h3>
${fieldTable(v.data, `${versionAnchor(v.version)}-data`, `The data of version ${v.version}`)}
<details class="envelope">
<summary>Envelope fields (the same CloudEvents attributes on every event)</summary>
${fieldTable(v.envelope, `${versionAnchor(v.version)}-envelope`, `The envelope of version ${v.version}`)}
</details>
<h3>Examples</h3>
${examples}
<h3>Use it</h3>
<pre class="usage"><code>${esc(usage)}</code></pre>
</section>`;
}

function latestOf(e: CatalogEvent): number {
  return (e.versions.at(-1) as CatalogVersion).version;
}

function fieldTable(fields: readonly Field[], id: string, caption: string): string {
  if (fields.length === 0) return "<p>No fields.</p>";
  const rows: string[] = [];
  const walk = (fs: readonly Field[], depth: number) => {
    for (const f of fs) {
      const rowId = `${id}-${slug(f.path)}`;
      const toggle =
        f.children.length > 0
          ? `<button type="button" class="toggle" aria-expanded="true" aria-controls="${esc(childIds(f, id))}" aria-label="Collapse ${esc(f.path)}">▾</button>`
          : "";
      rows.push(`<tr id="${esc(rowId)}" class="depth-${Math.min(depth, 8)}${f.deprecated ? " deprecated" : ""}">
<th scope="row"><span class="indent">${toggle}<code>${esc(f.name)}</code></span></th>
<td><code>${esc(f.type)}</code></td>
<td>${f.required ? "required" : "optional"}</td>
<td>${f.constraints.map((x) => `<span class="constraint">${esc(x)}</span>`).join(" ")}</td>
<td>${esc(f.description)}${f.deprecated ? ' <span class="badge deprecated">deprecated</span>' : ""}</td>
</tr>`);
      walk(f.children, depth + 1);
    }
  };
  walk(fields, 0);
  return `<div class="table-wrap"><table class="fields" id="${esc(id)}">
<caption>${esc(caption)}</caption>
<thead><tr><th scope="col">Field</th><th scope="col">Type</th><th scope="col">Required</th><th scope="col">Constraints</th><th scope="col">Description</th></tr></thead>
<tbody>
${rows.join("\n")}
</tbody>
</table></div>`;
}

function childIds(f: Field, id: string): string {
  const ids: string[] = [];
  const walk = (fs: readonly Field[]) => {
    for (const c of fs) {
      ids.push(`${id}-${slug(c.path)}`);
      walk(c.children);
    }
  };
  walk(f.children);
  return ids.join(" ");
}

function diffPanel(e: CatalogEvent, v: CatalogVersion, change: VersionChange): string {
  const anchor = diffAnchor(change.from, v.version);
  const verdict = VERDICTS[change.verdict];
  const counts = { added: 0, removed: 0, changed: 0, unchanged: 0 };
  for (const f of change.fields) counts[f.status]++;
  const rows = change.fields.map((f) => diffRow(f)).join("\n");
  const changes = change.changes.length
    ? `<ul class="changes">${change.changes
        .map(
          (c) =>
            `<li class="${c.backward ? "ok" : "breaking"}"><code>${esc(c.type)}</code> at <code>${esc(c.pointer || "/")}</code>: ${esc(c.sentence)} <span class="direction">${c.backward ? "keeps backward compatibility" : "breaks backward compatibility"}; ${c.forward ? "keeps forward" : "breaks forward"}</span></li>`,
        )
        .join("\n")}</ul>`
    : "<p>The comparison found no change to the data's schema.</p>";
  return `<section class="panel diff" id="${anchor}" aria-labelledby="${anchor}-title" data-panel>
<h2 id="${anchor}-title">From version ${change.from} to version ${v.version}</h2>
<div class="verdict ${verdict.tone}" role="note"><strong>${esc(verdict.label)}</strong>. ${esc(verdict.meaning)}</div>
<h3>Why</h3>
<p class="description">${esc(v.description)}</p>
<p class="summary-counts">${counts.added} added · ${counts.removed} removed · ${counts.changed} changed · ${counts.unchanged} unchanged</p>
<div class="table-wrap"><table class="diff-table">
<caption>The data's fields, version ${change.from} beside version ${v.version}</caption>
<thead><tr><th scope="col">Field</th><th scope="col">Version ${change.from}</th><th scope="col">Version ${v.version}</th><th scope="col">Change</th></tr></thead>
<tbody>
${rows}
</tbody>
</table></div>
<h3>Every change the comparison found</h3>
${changes}
<p><a href="#${versionAnchor(change.from)}" data-tab-link="${versionAnchor(change.from)}">Version ${change.from}</a> · <a href="#${versionAnchor(v.version)}" data-tab-link="${versionAnchor(v.version)}">Version ${v.version}</a> of <code>${esc(e.key)}</code></p>
</section>`;
}

function diffRow(f: FieldChange): string {
  const cell = (x: Field | undefined) =>
    x
      ? `<code>${esc(x.type)}</code>, ${x.required ? "required" : "optional"}${x.constraints.length ? `<br><span class="constraint">${x.constraints.map(esc).join('</span> <span class="constraint">')}</span>` : ""}`
      : '<span class="absent">—</span>';
  const label = f.status === "changed" ? `changed: ${f.what.join(", ")}` : f.status;
  return `<tr class="${f.status}"><th scope="row"><code>${esc(f.path)}</code></th><td>${cell(f.before)}</td><td>${cell(f.after)}</td><td>${esc(label)}</td></tr>`;
}

function slug(path: string): string {
  // Unique for every path: each character outside [A-Za-z0-9] becomes _ and its code.
  return path.replace(/[^A-Za-z0-9]/g, (c) => `_${c.charCodeAt(0).toString(16)}`) || "_";
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}
