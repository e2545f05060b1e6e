/**
 * The house meta-schemas that editors check our files with (editor/*.schema.json, docs/authoring.md "Editor
 * support"), and the `$schema` that names them from a file of the events tree.
 *
 * Why a file names them in its own `$schema`: VS Code's JSON language service (and every editor
 * built on it, and yaml-language-server) takes a document's schema from its top-level `$schema`
 * first, and then ignores the workspace's `json.schemas` associations altogether; a relative
 * `$schema` is resolved against the document's own location. A file saying
 * `"$schema": "https://json-schema.org/draft/2020-12/schema"` is therefore checked against the
 * official meta-schema only, whatever `.vscode/settings.json` says, while one saying
 * `"$schema": "../../../editor/event.schema.json"` is checked against the house rules as it is typed.
 *
 * For the build that alias *is* JSON Schema 2020-12: the house meta-schema is 2020-12 plus rules
 * that `check` enforces anyway. The build never opens the file it names (nothing outside the
 * events folder is read), and what the package publishes carries the canonical dialect URI.
 *
 * The names of the meta-schemas and how a `$schema` maps to a dialect are the schema utilities'
 * (schema/dialects.ts, which the schema stage reads); this module adds what only authoring needs:
 * the meta-schemas' ids and the alias a new file should carry.
 */

import { existsSync } from "node:fs";
import path from "node:path";
import { ALIASED_DIALECT_URI, EDITOR_FOLDER, EDITOR_SCHEMA_FILES, type EditorSchemaKind, editorSchemaRef } from "../schema/dialects.js";
import { ID_BASE } from "../schema/refs.js";

// The names and the dialect alias live with the schema utilities (the schema stage reads them there);
// re-exported so that the authoring tools and scripts keep one place to import from.
export {
  ALIASED_DIALECT_URI,
  dialectOfUri,
  EDITOR_FOLDER,
  EDITOR_SCHEMA_FILES,
  type EditorSchemaKind,
  editorSchemaRef,
  expectedEditorSchemaRef,
  withCanonicalDialect,
} from "../schema/dialects.js";

/**
 * The `$id` of each house meta-schema. The alias, resolved against a file's derived `$id`
 * (`https://domain-events.invalid/<path>`) as JSON Schema resolves any relative reference, gives
 * exactly this id: a standard tool that knows the meta-schemas by id finds them from the alias too.
 */
export const EDITOR_SCHEMA_IDS: Readonly<Record<EditorSchemaKind, string>> = {
  event: `${ID_BASE}${EDITOR_FOLDER}/${EDITOR_SCHEMA_FILES.event}`,
  shared: `${ID_BASE}${EDITOR_FOLDER}/${EDITOR_SCHEMA_FILES.shared}`,
  system: `${ID_BASE}${EDITOR_FOLDER}/${EDITOR_SCHEMA_FILES.system}`,
};

/** An event file's alias: events always sit at `<system>/<topic>/<event>.json`. */
export const EVENT_SCHEMA_REF = editorSchemaRef("system/topic/event.json", "event");

/**
 * The `$schema` a new file at `rel` should carry (for scaffolding): the alias when the house
 * meta-schema exists beside `eventsDir`, so that editors check the file as it is typed, and the
 * canonical 2020-12 URI otherwise (an alias naming a missing file makes editors complain).
 */
export function schemaRefFor(eventsDir: string, rel: string, kind: "event" | "shared"): string {
  const meta = path.join(path.resolve(eventsDir), "..", EDITOR_FOLDER, EDITOR_SCHEMA_FILES[kind]);
  return existsSync(meta) ? editorSchemaRef(rel, kind) : ALIASED_DIALECT_URI;
}
