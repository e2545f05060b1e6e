/**
 * Bundling: every schema file becomes definitions of one root, named by the TypeScript names they
 * will have, with every `$ref` rewritten to `#/$defs/<name>…`. The types root (json-schema-to-
 * typescript) and the self-contained schemas of events.json are both made from it.
 */

import { ROOT } from "../compile/types.js";
import { cmp, joinPointer, splitPointer } from "../diagnostics/index.js";
import type { EventVersion, ParsedFile } from "../model/tree.js";
import { resolveRef } from "../schema/refs.js";
import { ALLOW_UNPROVEN_PATTERNS, mapSchema, SIGNED } from "../schema/walk.js";
import { type DefinitionKey, definitionKeys } from "../stages/validate/index.js";
import { pascal } from "../stages/versions.js";
import { reservedNames } from "./declarations.js";

/** One definition of the bundle root. */
export interface Definition {
  /** The key under `$defs`, which is also the generated TypeScript name. */
  name: string;
  /** The file it comes from. */
  rel: string;
  /** The schema, refs rewritten; `$schema`, `$id`, nested `$defs` and the house's allowances of patterns removed. */
  schema: Record<string, unknown>;
  /** Names of the definitions it refers to directly. */
  refs: string[];
  /** True for the root of a file that holds only `$defs` (it gets no type of its own). */
  defsOnly: boolean;
}

const DEFS_ONLY_KEYS = new Set(["$schema", "$id", "$comment", "title", "description", "$defs", "definitions", "examples"]);

/** Names the module declares itself (and the bundle root's), which no definition may take. */
const RESERVED_NAMES: ReadonlySet<string> = new Set([...reservedNames(), ROOT]);

/** A TypeScript identifier. */
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Names every file root and every entry of its `$defs`/`definitions`. */
export class Bundle {
  /** Every file, in the order their definitions are listed: the events', then the shared ones'. */
  private readonly files: readonly ParsedFile[];
  private readonly fileByRel = new Map<string, ParsedFile>();
  /** Each file's definitions, made when first asked for (rewriting a schema walks it). */
  private readonly made = new Map<string, Definition[]>();
  /** The file that defines each name. */
  private readonly ownerOf = new Map<string, string>();
  private all: Map<string, Definition> | undefined;
  private readonly fileNames = new Map<string, string>();
  private readonly defNames = new Map<string, string>();
  /** Each event's own interface name (`OrderPlacedV2`), which index.d.ts declares next to the definitions. */
  private readonly eventNames: [string, string][];
  private readonly knownKeys: (rel: string) => readonly DefinitionKey[] | undefined;

  /**
   * `definitionsOf`: a file's definitions when known without reading its JSON (validate's facts of a
   * file the cache knows clean); else they are read from the file.
   */
  constructor(
    events: readonly EventVersion[],
    shared: readonly ParsedFile[],
    definitionsOf?: (rel: string) => readonly DefinitionKey[] | undefined,
  ) {
    this.knownKeys = definitionsOf ?? (() => undefined);
    this.eventNames = events.map((ev) => [ev.source.rel, ev.typeName]);
    for (const ev of events) this.name(ev.source, `${ev.typeName}Data`, `${ev.typeName}`);
    for (const file of shared) this.name(file, sharedName(file.rel), "");
    // Names are given at once (collisions need only them); a file's definitions are made when
    // first asked for: a check whose version steps the cache knows makes none, and one edited
    // event's entry makes only what it reaches.
    this.files = [...events.map((ev) => ev.source), ...shared];
    for (const file of this.files) this.fileByRel.set(file.rel, file);
  }

  /** Every definition of the root, by name, in a fixed order (all of them made on first use). */
  get definitions(): ReadonlyMap<string, Definition> {
    if (!this.all) {
      const all = new Map<string, Definition>();
      for (const file of this.files) for (const def of this.definitionsOf(file.rel)) all.set(def.name, def);
      this.all = all;
    }
    return this.all;
  }

  /** The definitions of one file (its root first), made on first use. */
  definitionsOf(rel: string): readonly Definition[] {
    let defs = this.made.get(rel);
    if (!defs) {
      const file = this.fileByRel.get(rel);
      defs = file ? this.add(file) : [];
      this.made.set(rel, defs);
    }
    return defs;
  }

  /** The definition of a name (its file's definitions made on first use). */
  definition(name: string): Definition | undefined {
    const rel = this.ownerOf.get(name);
    if (rel === undefined) return undefined;
    // As in `definitions`: of two files that give one name, the later one's (a collision, refused before generating).
    return this.definitionsOf(rel).find((d) => d.name === name);
  }

  /**
   * Names given to more than one file root, definition or event interface, or to a name the module
   * reserves, with the files involved.
   */
  collisions(): { name: string; rels: string[] }[] {
    const uses = new Map<string, string[]>();
    const note = (name: string, rel: string) => uses.set(name, [...(uses.get(name) ?? []), rel]);
    for (const [rel, name] of this.fileNames) note(name, rel);
    for (const [key, name] of this.defNames) note(name, key.slice(0, key.indexOf("#")));
    for (const [rel, name] of this.eventNames) note(name, rel);
    return [...uses]
      .filter(([name, rels]) => rels.length > 1 || RESERVED_NAMES.has(name) || !IDENTIFIER.test(name))
      .map(([name, rels]) => ({ name, rels: [...new Set(rels)].sort(cmp) }))
      .sort((a, b) => cmp(a.name, b.name));
  }

  /** The definition name of a file root. */
  nameOfFile(rel: string): string {
    return this.fileNames.get(rel) as string;
  }

  /** The names reachable from `name` (itself included), sorted. */
  closure(name: string): string[] {
    const out = new Set<string>();
    const visit = (n: string) => {
      if (out.has(n)) return;
      out.add(n);
      for (const r of this.definition(n)?.refs ?? []) visit(r);
    };
    visit(name);
    return [...out].sort(cmp);
  }

  private name(file: ParsedFile, rootName: string, defPrefix: string) {
    this.fileNames.set(file.rel, rootName);
    this.ownerOf.set(rootName, file.rel);
    for (const [container, key] of this.knownKeys(file.rel) ?? definitionKeys(file.json)) {
      const name = defPrefix + pascal(key);
      this.defNames.set(`${file.rel}#${container}/${key}`, name);
      this.ownerOf.set(name, file.rel);
    }
  }

  /** A file's definitions: its root, then each of its `$defs` and `definitions`, references rewritten. */
  private add(file: ParsedFile): Definition[] {
    const out: Definition[] = [];
    const rewrite = (schema: unknown, refs: Set<string>) =>
      mapSchema(schema, (s) => {
        const out = { ...s };
        // A note for the build (SCHEMA_PATTERN_UNPROVEN), not JSON Schema: strict readers of events.json would refuse it.
        delete out[ALLOW_UNPROVEN_PATTERNS];
        // About the envelope, which the event's published schema shows (model/envelope.ts), not the data.
        delete out[SIGNED];
        for (const keyword of ["$ref", "$dynamicRef"]) {
          if (typeof out[keyword] !== "string") continue;
          const { ref, name } = this.rewriteRef(file.rel, out[keyword] as string);
          out.$ref = ref;
          if (keyword !== "$ref") delete out[keyword];
          refs.add(name);
        }
        return out;
      }) as Record<string, unknown>;

    const { $schema: _s, $id: _i, $defs, definitions, ...rootRest } = file.json;
    const rootRefs = new Set<string>();
    const rootName = this.fileNames.get(file.rel) as string;
    out.push({
      name: rootName,
      rel: file.rel,
      schema: rewrite(rootRest, rootRefs),
      refs: [...rootRefs].sort(cmp),
      defsOnly: Object.keys(file.json).every((k) => DEFS_ONLY_KEYS.has(k)),
    });
    for (const [container, defs] of [
      ["$defs", $defs],
      ["definitions", definitions],
    ] as const) {
      if (typeof defs !== "object" || defs === null) continue;
      for (const [key, def] of Object.entries(defs as Record<string, unknown>)) {
        const name = this.defNames.get(`${file.rel}#${container}/${key}`) as string;
        const refs = new Set<string>();
        out.push({ name, rel: file.rel, schema: rewrite(def, refs), refs: [...refs].sort(cmp), defsOnly: false });
      }
    }
    return out;
  }

  /** Rewrites one reference written in `fromRel` into a pointer into the bundle root. */
  private rewriteRef(fromRel: string, ref: string): { ref: string; name: string } {
    const target = resolveRef(fromRel, ref);
    const rel = target.kind === "file" ? target.rel : fromRel;
    const pointer = target.kind === "file" || target.kind === "local" ? target.pointer : "";
    const [first, second, ...rest] = splitPointer(pointer);
    if ((first === "$defs" || first === "definitions") && second !== undefined) {
      const name = this.defNames.get(`${rel}#${first}/${second}`) as string;
      return { ref: `#${joinPointer("/$defs", name, ...rest)}`, name };
    }
    const name = this.fileNames.get(rel) as string;
    return { ref: `#${joinPointer("/$defs", name)}${pointer}`, name };
  }
}

/** The type name of a shared file: PascalCase of its path below the `_` folder (`_shared/money.json` → `Money`). */
export function sharedName(rel: string): string {
  const parts = rel.replace(/\.json$/, "").split("/");
  const below = parts.slice(parts.findIndex((p) => p.startsWith("_")) + 1);
  return pascal(below.join("-")) || "Shared";
}
