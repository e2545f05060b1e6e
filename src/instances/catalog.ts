/**
 * The events a run validates against: the entries of events.json by type, the near names of an
 * unknown type ("did you mean …"), the latest version of an event, and each type's ajv validator,
 * compiled on first use (only the types that occur in the input are compiled).
 */

import type { ValidateFunction } from "ajv";
import { distance } from "../diagnostics/hints.js";
import { type AjvSet, createAjvSet, DIALECT_URIS } from "../schema/ajv.js";
import { INSTANCE_LIMITS, type PublishedEvent, ValidateInputError } from "./types.js";

/** The entries of events.json, looked up by type. */
export class Catalog {
  private readonly byType = new Map<string, PublishedEvent>();
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly nearCache = new Map<string, string>();
  private ajv: AjvSet | undefined;

  constructor(private readonly entries: readonly PublishedEvent[]) {
    for (const e of entries) this.byType.set(e.type, e);
  }

  get(type: string): PublishedEvent | undefined {
    return this.byType.get(type);
  }

  example(): string {
    return this.entries.find((e) => e.latest && !e.deprecated)?.type ?? this.entries[0]?.type ?? "<system>.<topic>.<event>.v<N>";
  }

  /** The latest version of the event that `entry` is a version of. */
  latestOf(entry: PublishedEvent): PublishedEvent | undefined {
    const versions = this.versionsOf(baseOf(entry.type));
    return versions.find((e) => e.latest) ?? versions.at(-1);
  }

  private versionsOf(base: string): PublishedEvent[] {
    return this.entries.filter((e) => baseOf(e.type) === base).sort((a, b) => a.version - b.version);
  }

  /** A hint naming the types nearest to an unknown one: other versions of the same event, or the closest names. */
  near(type: string): string {
    const cached = this.nearCache.get(type);
    if (cached !== undefined) return cached;
    const hint = this.computeNear(type);
    // Bounded: a file of a million different unknown types must not grow the cache without end.
    if (type.length <= INSTANCE_LIMITS.suggestChars && this.nearCache.size < 10_000) this.nearCache.set(type, hint);
    return hint;
  }

  private computeNear(type: string): string {
    const label = (e: PublishedEvent) => `${e.type}${e.latest ? " (latest)" : e.deprecated ? " (deprecated)" : ""}`;
    const base = baseOf(type);
    const versions = this.versionsOf(base);
    if (versions.length > 0) return `use one of the versions of ${base}: ${versions.map(label).join(", ")}`;
    // A name far longer than any type is near none: no search (its cost grows with the length).
    const limit = Math.max(3, Math.floor(base.length / 6));
    const bases = base.length > INSTANCE_LIMITS.suggestChars ? [] : [...new Set(this.entries.map((e) => baseOf(e.type)))];
    const scored = bases.map((b) => ({ b, d: distance(b, base, limit) })).sort((x, y) => x.d - y.d || (x.b < y.b ? -1 : 1));
    const best = scored[0];
    if (best && best.d <= limit) {
      const close = scored
        .filter((s) => s.d === best.d)
        .map((s) => this.latestOf(this.versionsOf(s.b)[0] as PublishedEvent) as PublishedEvent);
      return `did you mean ${close.map(label).join(" or ")}?`;
    }
    const system = base.split(".")[0] ?? "";
    const same = this.entries.filter((e) => e.system === system && e.latest).map((e) => e.type);
    if (same.length > 0) return `use one of the events of ${system}: ${same.join(", ")}`;
    const systems = [...new Set(this.entries.map((e) => e.system))].sort();
    return `no event of that name; the systems of this package: ${systems.join(", ")}`;
  }

  /** The validator of one type, compiled on first use. */
  validator(entry: PublishedEvent): ValidateFunction {
    const done = this.compiled.get(entry.type);
    if (done) return done;
    const uri = entry.schema.$schema;
    const dialect = uri === undefined ? "2020-12" : typeof uri === "string" ? DIALECT_URIS[uri] : undefined;
    if (dialect === undefined)
      throw new ValidateInputError(`events.json: the schema of ${entry.type} has an unsupported $schema ${JSON.stringify(uri)}`);
    this.ajv ??= createAjvSet();
    let fn: ValidateFunction;
    try {
      fn = this.ajv[dialect].compile(entry.schema);
    } catch (e) {
      throw new ValidateInputError(`events.json: the schema of ${entry.type} does not compile: ${(e as Error).message}`);
    }
    this.compiled.set(entry.type, fn);
    return fn;
  }
}

/** `a.b.c.v2` → `a.b.c`; a type without a version suffix is its own base. */
function baseOf(type: string): string {
  return type.replace(/\.v[0-9]+$/, "");
}
