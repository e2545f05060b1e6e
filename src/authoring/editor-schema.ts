/**
 * The house meta-schemas that editors check our files with (editor/*.schema.json, README "Editor
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
 */

import { existsSync } from "node:fs";
import path from "node:path";
import type { Dialect } from "../model/tree.js";
import { DIALECT_URIS } from "../schema/ajv.js";
import { ID_BASE } from "../schema/refs.js";

/** The folder, beside the events folder, that holds the house meta-schemas. */
export const EDITOR_FOLDER = "editor";

/** What a house meta-schema describes. */
export type EditorSchemaKind = "event" | "shared" | "system";

/** The file of each house meta-schema in {@link EDITOR_FOLDER}. */
export const EDITOR_SCHEMA_FILES: Readonly<Record<EditorSchemaKind, string>> = {
  event: "event.schema.json",
  shared: "shared.schema.json",
  system: "system.schema.json",
};

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

/** The dialect URI the alias stands for, as the published schemas and ajv see it. */
export const ALIASED_DIALECT_URI = "https://json-schema.org/draft/2020-12/schema";

/** An event file's alias: events always sit at `<system>/<topic>/<event>.json`. */
export const EVENT_SCHEMA_REF = editorSchemaRef("system/topic/event.json", "event");

/**
 * The `$schema` that names the house meta-schema of `kind` from the file at `rel` (a path relative
 * to the events folder): up to the folder that holds the events folder, then into `editor/`.
 */
export function editorSchemaRef(rel: string, kind: EditorSchemaKind): string {
  const depth = rel.split("/").length - 1;
  return `${"../".repeat(depth + 1)}${EDITOR_FOLDER}/${EDITOR_SCHEMA_FILES[kind]}`;
}

/**
 * The `$schema` a new file at `rel` should carry (for scaffolding): the alias when the house
 * meta-schema exists beside `eventsDir`, so that editors check the file as it is typed, and the
 * canonical 2020-12 URI otherwise (an alias naming a missing file makes editors complain).
 */
export function schemaRefFor(eventsDir: string, rel: string, kind: "event" | "shared"): string {
  const meta = path.join(path.resolve(eventsDir), "..", EDITOR_FOLDER, EDITOR_SCHEMA_FILES[kind]);
  return existsSync(meta) ? editorSchemaRef(rel, kind) : ALIASED_DIALECT_URI;
}

/** The house meta-schema a schema file may name: a path with a `_` part is shared (as discover's classify decides), else an event. */
function kindOf(rel: string): "event" | "shared" {
  return rel.split("/").some((part) => part.startsWith("_")) ? "shared" : "event";
}

/**
 * The dialect a schema file's `$schema` names: one of the dialect URIs, or the alias of its own
 * house meta-schema (exactly as {@link editorSchemaRef} spells it). Undefined for anything else.
 */
export function dialectOfUri(uri: string, rel: string): Dialect | undefined {
  if (Object.hasOwn(DIALECT_URIS, uri)) return DIALECT_URIS[uri];
  return uri === editorSchemaRef(rel, kindOf(rel)) ? "2020-12" : undefined;
}

/**
 * For an unsupported `$schema` that looks like an alias (it names a house meta-schema), the alias
 * this file should write instead; undefined otherwise.
 */
export function expectedEditorSchemaRef(uri: unknown, rel: string): string | undefined {
  if (typeof uri !== "string" || /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(uri)) return undefined;
  const names = Object.values(EDITOR_SCHEMA_FILES);
  return names.some((name) => uri.endsWith(`/${name}`) || uri === name) ? editorSchemaRef(rel, kindOf(rel)) : undefined;
}

/**
 * The schema as ajv sees it: an alias `$schema` becomes the canonical 2020-12 URI (ajv looks a
 * schema's meta-schema up by its `$schema`). The same object when there is nothing to change.
 */
export function withCanonicalDialect(json: Record<string, unknown>, rel: string): Record<string, unknown> {
  const uri = json.$schema;
  if (typeof uri !== "string" || Object.hasOwn(DIALECT_URIS, uri) || dialectOfUri(uri, rel) === undefined) return json;
  return { ...json, $schema: ALIASED_DIALECT_URI };
}
