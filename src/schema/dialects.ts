/**
 * Dialects a schema file may name in its `$schema`: the two JSON Schema dialect URIs (ajv.ts
 * `DIALECT_URIS`), or the editor's alias — the relative path from the file to its house
 * meta-schema in `editor/` beside the events folder (authoring/editor-schema.ts says why files
 * name it). The schema stage reads a file's dialect here; the authoring tools build on the same
 * names. Pure functions of the file's path and its `$schema`: nothing here reads a file.
 *
 * For the build the alias *is* JSON Schema 2020-12: the house meta-schema is 2020-12 plus rules
 * that `check` enforces anyway. The build never opens the file it names.
 */

import type { Dialect } from "../model/tree.js";
import { DIALECT_URIS } from "./ajv.js";

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

/** The dialect URI the alias stands for, as the published schemas and ajv see it. */
export const ALIASED_DIALECT_URI = "https://json-schema.org/draft/2020-12/schema";

/**
 * The `$schema` that names the house meta-schema of `kind` from the file at `rel` (a path relative
 * to the events folder): up to the folder that holds the events folder, then into `editor/`.
 */
export function editorSchemaRef(rel: string, kind: EditorSchemaKind): string {
  const depth = rel.split("/").length - 1;
  return `${"../".repeat(depth + 1)}${EDITOR_FOLDER}/${EDITOR_SCHEMA_FILES[kind]}`;
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

/**
 * The dialect of a schema file: 2020-12 when it names none, else the one its `$schema` names (a
 * dialect URI or its own alias). Undefined for a `$schema` that names no supported dialect.
 */
export function dialectOfSchema(json: Record<string, unknown>, rel: string): Dialect | undefined {
  const uri = json.$schema;
  if (uri === undefined) return "2020-12";
  // Own keys only ("constructor" names no dialect), or the alias of the house meta-schema.
  return typeof uri === "string" ? dialectOfUri(uri, rel) : undefined;
}
