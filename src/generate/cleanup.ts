/**
 * The test-data cleanup's graph, derived from the checked tree (model/cleanup.ts says how), and
 * the deletion plan made from it (cleanup/plan.ts): `cleanup.json`, which `domain-events/cleanup`
 * ships. Nothing here is written by hand: an event that starts carrying another entity's id changes
 * the graph, and the plan with it, on the next build.
 *
 * What cannot be placed is an error (CLEANUP_ID_UNPLACED): a property named as an entity's id
 * (`contractId`) that is not the id definition itself (a `$ref` to `_shared/ids.json#/$defs/contractId`),
 * since the graph would not see it; and a record whose `refersTo` names no entity.
 */

import path from "node:path";
import { planFrom } from "../cleanup/plan-graph.js";
import { cmp, type Diagnostic, diagnostic, joinPointer, type StageResult } from "../diagnostics/index.js";
import { CLEANUP_ROOT, type CleanupEntity, type CleanupGraph, type CleanupReference } from "../model/cleanup.js";
import { pascal } from "../model/names.js";
import type { Store } from "../model/store.js";
import type { EventTree, ParsedFile } from "../model/tree.js";
import { atPointer, type RefTarget, resolveRef } from "../schema/refs.js";
import { isObject } from "../schema/walk.js";

/** Where the entities' ids are defined. */
export const IDS_FILE = "_shared/ids.json";

/** One stage of the published plan: the entities deleted together, in order, and the references to clear first. */
export interface PublishedStage {
  entities: string[];
  cycle: boolean;
  order: string[];
  breakReferences: { from: string; to: string }[];
}

/** cleanup.json: the graph, the plan from the root, and each participant's part of it. */
export interface CleanupDocument extends CleanupGraph {
  plan: { start: typeof CLEANUP_ROOT; stages: PublishedStage[] };
  /** The systems that hold entities: each deletes its part (the plan restricted to what it holds) and acknowledges. */
  participants: { system: string; entities: string[]; stages: PublishedStage[] }[];
}

/**
 * The graph and plan of a checked tree, or undefined when the tree defines no ClientAccount id (no
 * `_shared/ids.json` with `clientAccountId`): then there is no test data to clean up.
 */
export function cleanupDocument(
  tree: EventTree,
  /** A system.json as parse read it (its path for diagnostics and its positions), by events-relative path. */
  systemFile: (rel: string) => Pick<ParsedFile, "file" | "locate"> | undefined = () => undefined,
  memos?: { store(name: string): Store | undefined; hashOf(rel: string): string | null },
): StageResult<CleanupDocument | undefined> {
  const ids = tree.shared.find((f) => f.rel === IDS_FILE);
  const entityOfKey = new Map<string, string>();
  for (const key of Object.keys((ids?.json.$defs as Record<string, unknown> | undefined) ?? {})) {
    const m = /^([a-z][A-Za-z0-9]*)Id$/.exec(key);
    if (m) entityOfKey.set(key, pascal(m[1] as string));
  }
  if (![...entityOfKey.values()].includes(CLEANUP_ROOT)) return { value: undefined, diagnostics: [] };

  const diagnostics: Diagnostic[] = [];
  const files = new Map<string, ParsedFile>([...tree.shared, ...tree.events.map((e) => e.source)].map((f) => [f.rel, f]));
  const entities = new Map<string, CleanupEntity>();
  for (const [key, name] of entityOfKey) entities.set(name, { name, id: `${IDS_FILE}#/$defs/${key}`, topics: [], heldBy: [] });
  const edges = new Map<string, CleanupReference & { required: boolean }>();
  const addEdge = (from: string, to: string, required: boolean, by: string) => {
    const k = `${from}\0${to}`;
    const e = edges.get(k) ?? { from, to, optional: true, required: false, carriedBy: [] };
    e.required ||= required;
    if (!e.carriedBy.includes(by)) e.carriedBy.push(by);
    edges.set(k, e);
  };

  const finder = new IdFinder(files, entityOfKey);
  // What an event's file carries depends on its bytes and those of the shared files (ids.json's
  // keys among them): remembered by them, so that an edit walks the edited file only.
  const store = memos?.store("cleanup");
  const sharedBytes = store ? tree.shared.map((f) => [f.rel, memos?.hashOf(f.rel)]) : [];
  const carriedBy = (file: ParsedFile): Carried[] => {
    const parts = ["ids-carried", file.rel, memos?.hashOf(file.rel), sharedBytes];
    const known = store?.get(parts, isCarriedList);
    if (known) return known;
    const found = finder.inFile(file);
    store?.set(parts, found);
    return found;
  };
  for (const ev of tree.events) {
    const entity = entities.get(pascal(ev.topic));
    if (entity) {
      const where = `${ev.system}/${ev.topic}`;
      if (!entity.topics.includes(where)) entity.topics.push(where);
      if (!entity.heldBy.includes(ev.system)) entity.heldBy.push(ev.system);
    }
    for (const found of carriedBy(ev.source)) {
      if (found.unplaced) {
        diagnostics.push(
          diagnostic(
            "CLEANUP_ID_UNPLACED",
            ev.source.file,
            found.pointer,
            `"${found.key}" is named as the id of the entity ${entityOfKey.get(found.key)}, but is not its id definition: the cleanup's graph cannot see this reference`,
            {
              hint: `write { "$ref": "${path.posix.relative(path.posix.dirname(ev.source.rel), IDS_FILE)}#/$defs/${found.key}" } (with a "description" beside it if you like)`,
              locate: ev.source.locate,
            },
          ),
        );
        continue;
      }
      const to = entityOfKey.get(found.key) as string;
      if (entity && to !== entity.name) addEdge(entity.name, to, found.required, ev.type);
    }
  }

  // What a record may refer to: the entities of ids.json, and every system's records.
  const known = new Set([...entities.keys(), ...tree.systems.flatMap((s) => Object.keys(s.records ?? {}))]);
  for (const system of tree.systems) {
    for (const [name, record] of Object.entries(system.records ?? {})) {
      const declared = `${system.system}/system.json`;
      const entity = entities.get(name) ?? { name, topics: [], heldBy: [], description: record.description };
      if (!entity.heldBy.includes(system.system)) entity.heldBy.push(system.system);
      entities.set(name, entity);
      for (const [to, how] of Object.entries(record.refersTo)) {
        if (!known.has(to)) {
          const file = systemFile(declared);
          diagnostics.push(
            diagnostic(
              "CLEANUP_ID_UNPLACED",
              file?.file ?? declared,
              joinPointer("/records", name, "refersTo", to),
              `the record ${name} refers to ${to}, which is no entity`,
              {
                hint: `name an entity of ${IDS_FILE} (its id definition without "Id", in PascalCase) or another record`,
                locate: file?.locate,
              },
            ),
          );
          continue;
        }
        addEdge(name, to, how === "required", declared);
      }
    }
  }
  // Every entity belongs to a ClientAccount: its events' envelopes carry clientaccountid.
  for (const name of entities.keys()) if (name !== CLEANUP_ROOT) addEdge(name, CLEANUP_ROOT, true, "envelope");

  const references = [...edges.values()]
    .map(({ required, ...e }) => ({ ...e, optional: !required, carriedBy: e.carriedBy.sort() }))
    .sort((a, b) => cmp(a.from, b.from) || cmp(a.to, b.to));
  const all = [...entities.values()]
    .map((e) => ({ ...e, topics: e.topics.sort(), heldBy: e.heldBy.sort() }))
    .sort((a, b) => cmp(a.name, b.name));
  if (diagnostics.length > 0) return { value: undefined, diagnostics };
  const plan = (include: readonly string[]) =>
    planFrom(CLEANUP_ROOT, references, include).stages.map((s) => ({
      entities: s.entities,
      cycle: s.cycle,
      order: s.order,
      breakReferences: s.breakReferences.map(({ from, to }) => ({ from, to })),
    }));
  const systems = [...new Set(all.flatMap((e) => e.heldBy))].sort(cmp);
  return {
    value: {
      root: CLEANUP_ROOT,
      entities: all,
      references,
      plan: { start: CLEANUP_ROOT, stages: plan(all.map((e) => e.name)) },
      // Each system that holds an entity deletes its part and acknowledges: CLH waits for these.
      participants: systems.map((system) => {
        const held = all.filter((e) => e.heldBy.includes(system)).map((e) => e.name);
        return { system, entities: held, stages: plan(held) };
      }),
    },
    diagnostics,
  };
}

/** An id found in a file: its definition's key, where, and whether the value always carries it. */
interface Carried {
  key: string;
  pointer: string;
  required: boolean;
  /** Named as an id (`contractId`) but not the id definition. */
  unplaced?: boolean;
}

/**
 * The ids a file's data carries: every `$ref` to an id definition reached from the root through
 * properties, items and combinators (and `$ref`s, into the file or shared files), with whether
 * every step on the way is required (an array's items, a branch of anyOf or oneOf are not). What a
 * shared subschema carries is worked out once per run, for every event that reaches it (at 1,000
 * events the walk took 130–180 ms before, now a few).
 */
class IdFinder {
  /** What a shared subschema carries, by `rel#pointer`, as if reached by a required step. */
  private readonly sharedIds = new Map<string, Omit<Carried, "pointer">[] | "walking">();

  /** Where a `$ref` leads, by the referring file's folder and the ref: most events write the same few. */
  private readonly targets = new Map<string, RefTarget>();

  constructor(
    private readonly files: ReadonlyMap<string, ParsedFile>,
    private readonly entityOfKey: ReadonlyMap<string, string>,
  ) {}

  private resolve(rel: string, ref: string): RefTarget {
    const key = `${path.posix.dirname(rel)}\0${ref}`;
    let target = this.targets.get(key);
    if (!target) {
      target = resolveRef(rel, ref);
      this.targets.set(key, target);
    }
    return target;
  }

  /** The ids an event's file carries, at the pointers of the event's file that lead to them. */
  inFile(file: ParsedFile): Carried[] {
    const out: Carried[] = [];
    this.walk(file.rel, file.json, "", true, new Set(), (item, at) => out.push({ ...item, pointer: at }));
    return out;
  }

  /** Walks `schema` (at `at` in the file `rel`), telling `emit` each id found and the pointer in `rel` that leads to it. */
  private walk(
    rel: string,
    schema: unknown,
    at: string,
    required: boolean,
    seen: Set<string>,
    emit: (item: Omit<Carried, "pointer">, at: string) => void,
  ): void {
    if (!isObject(schema)) return;
    const mark = `${at}#${required}`;
    if (seen.has(mark)) return;
    seen.add(mark);
    if (typeof schema.$ref === "string") {
      const target = this.resolve(rel, schema.$ref);
      if (target.kind === "file" && target.rel === IDS_FILE) {
        const key = /^\/\$defs\/([^/]+)$/.exec(target.pointer)?.[1];
        if (key && this.entityOfKey.has(key)) emit({ key, required }, at);
      } else if (target.kind === "local")
        this.walk(rel, atPointer(this.files.get(rel)?.json, target.pointer), target.pointer, required, seen, emit);
      else if (target.kind === "file")
        for (const item of this.shared(target.rel, target.pointer)) emit({ ...item, required: required && item.required }, at);
    }
    const props = isObject(schema.properties) ? schema.properties : {};
    const needed = new Set(Array.isArray(schema.required) ? schema.required : []);
    for (const [name, sub] of Object.entries(props)) {
      const subAt = joinPointer(at, "properties", name);
      if (this.entityOfKey.has(name) && isObject(sub) && !refsIdDefinition(sub, rel, name))
        emit({ key: name, required: false, unplaced: true }, subAt);
      this.walk(rel, sub, subAt, required && needed.has(name), seen, emit);
    }
    for (const k of ["items", "additionalProperties", "contains"]) this.walk(rel, schema[k], joinPointer(at, k), false, seen, emit);
    // allOf's parts all hold; a tuple's items, and a branch of anyOf or oneOf, may be absent.
    for (const k of ["prefixItems", "allOf", "anyOf", "oneOf"]) {
      const parts = schema[k];
      if (!Array.isArray(parts)) continue;
      for (const [i, sub] of parts.entries()) this.walk(rel, sub, joinPointer(at, k, String(i)), k === "allOf" && required, seen, emit);
    }
    for (const k of ["then", "else"]) this.walk(rel, schema[k], joinPointer(at, k), false, seen, emit);
  }

  /** What the subschema at `pointer` of the shared file `rel` carries (once per run; a reference back into it carries nothing more). */
  private shared(rel: string, pointer: string): Omit<Carried, "pointer">[] {
    const id = `${rel}#${pointer}`;
    const known = this.sharedIds.get(id);
    if (known === "walking") return [];
    if (known) return known;
    this.sharedIds.set(id, "walking");
    const found: Omit<Carried, "pointer">[] = [];
    this.walk(rel, atPointer(this.files.get(rel)?.json, pointer), pointer, true, new Set(), (item) => found.push(item));
    this.sharedIds.set(id, found);
    return found;
  }
}

/** The shape of a remembered list of ids carried (a cache entry is never trusted). */
function isCarriedList(value: unknown): value is Carried[] {
  return (
    Array.isArray(value) &&
    value.every(
      (c) =>
        isObject(c) &&
        typeof c.key === "string" &&
        typeof c.pointer === "string" &&
        typeof c.required === "boolean" &&
        (c.unplaced === undefined || c.unplaced === true),
    )
  );
}

/** Whether a property named as an id is the id definition: a `$ref` to it (or to an array of them is not an id). */
function refsIdDefinition(schema: Record<string, unknown>, rel: string, key: string): boolean {
  if (typeof schema.$ref !== "string") return false;
  const target = resolveRef(rel, schema.$ref);
  return target.kind === "file" && target.rel === IDS_FILE && target.pointer === `/$defs/${key}`;
}
