/**
 * The event catalog: a static site made from the checked tree, so it is as current as the build.
 *   model  (systems → topics → events → versions, fields, the steps between versions)
 *   pages  (index.html, events/<system>.<topic>.<event>.html)
 *   assets (assets/catalog.css, assets/catalog.js)
 * Every link is relative and nothing is fetched from elsewhere, so the folder works from file://
 * and from any static host. The same tree gives byte-identical files.
 */

import { CATALOG_CSS, CATALOG_JS } from "./assets.js";
import { type CatalogInput, catalogModel } from "./model.js";
import { eventPage, eventPageHtml, overviewPage } from "./pages.js";

export type { Catalog, CatalogInput } from "./model.js";
export { catalogModel } from "./model.js";

/** The catalog's files by path (relative to its folder). */
export function catalogFiles(input: CatalogInput): Map<string, string> {
  const catalog = catalogModel(input);
  const files = new Map<string, string>([
    ["index.html", overviewPage(catalog)],
    ["assets/catalog.css", CATALOG_CSS],
    ["assets/catalog.js", CATALOG_JS],
  ]);
  for (const s of catalog.systems)
    for (const t of s.topics) for (const e of t.events) files.set(eventPage(e.key), eventPageHtml(catalog, e));
  return files;
}
