/**
 * Objects (Confluent's `ObjectSchemaDiff`): required properties, properties added and removed,
 * dependencies, where unlisted properties go, and the property-count bounds.
 *
 * The content model decides what an added or removed property means. For one property name it is:
 * - open: unlisted properties may hold anything (no `additionalProperties`/`unevaluatedProperties`,
 *   or `true`/`{}`, and no pattern matches the name);
 * - partially open: a `patternProperties` schema whose pattern matches the name, else the
 *   `additionalProperties` (or `unevaluatedProperties`) schema;
 * - closed: `additionalProperties: false` or `unevaluatedProperties: false`.
 * Confluent treats every object with `patternProperties` as not open; we look at the name (a name no
 * pattern matches falls to `additionalProperties`, which may be open).
 *
 * Added properties look at the old content model (could old events hold that name already?),
 * removed ones at the new (may new events still hold it?). Of `additionalProperties` and
 * `unevaluatedProperties` we compare the one that decides (the first present), and name the change
 * by the keyword the new schema uses: moving from `additionalProperties: false` to
 * `unevaluatedProperties: false` changes nothing.
 *
 * Beyond Confluent: `propertyNames` compares as a nested schema, and `patternProperties` entries
 * compare by pattern (Confluent only uses them to cover added and removed properties).
 */

import { joinPointer } from "../../diagnostics/index.js";
import { BOUND_RULES, compareBounds } from "./bounds.js";
import { compareNodes } from "./compare.js";
import { at, type Context, type Found, gone, here, inModel } from "./context.js";
import { deref, isOpenObject, type Node, type ObjectNode } from "./model.js";
import { compareRestOf } from "./rest.js";

/** Changes between two object schemas. */
export function compareObjects(ctx: Context, old: ObjectNode, current: ObjectNode): Found[] {
  const own: Found[] = [];
  const nested: Found[] = [];
  compareRequired(old, current, own);
  compareProperties(ctx, old, current, own, nested);
  compareDependencies(ctx, old, current, own, nested);
  compareRest(ctx, old, current, own, nested);
  own.push(...compareBounds(BOUND_RULES.object, old.bounds, current.bounds, old.ptr, current.ptr));
  compareOptional(ctx, old, current, "propertyNames", old.propertyNames, current.propertyNames, own, nested);
  comparePatterns(ctx, old, current, own, nested);
  return [...inModel(own, isOpenObject(old)), ...nested];
}

/** Properties both schemas list that became required or optional (at their place in `required`). */
function compareRequired(old: ObjectNode, current: ObjectNode, own: Found[]): void {
  const place = (n: ObjectNode, name: string) => {
    const i = n.required.indexOf(name);
    return i < 0 ? joinPointer(n.ptr, "required") : joinPointer(n.ptr, "required", i);
  };
  for (const name of old.properties.keys()) {
    const property = current.properties.get(name);
    if (!property) continue;
    const before = old.required.includes(name);
    const after = current.required.includes(name);
    if (before && !after) own.push(at("REQUIRED_ATTRIBUTE_REMOVED", place(old, name), place(current, name), "old"));
    else if (!before && after) {
      own.push(
        at(
          hasDefault(property) ? "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED" : "REQUIRED_ATTRIBUTE_ADDED",
          place(old, name),
          place(current, name),
        ),
      );
    }
  }
}

/** Where an unlisted property would go: anywhere ("open"), a schema (partially open), or nowhere ("closed"). */
type Slot = "open" | "closed" | Node;

/** The slot of the rest of the object (`additionalProperties` or `unevaluatedProperties`). */
function restSlot(node: ObjectNode): Slot {
  if (node.rest.schema) return node.rest.schema;
  return node.rest.permits ? "open" : "closed";
}

/** The slot of a property name: the first pattern that matches it, else the rest. */
function slotOf(node: ObjectNode, name: string): Slot {
  return node.patterns.find((p) => p.regex?.test(name))?.node ?? restSlot(node);
}

function compareProperties(ctx: Context, old: ObjectNode, current: ObjectNode, own: Found[], nested: Found[]): void {
  const names = new Set([...old.properties.keys(), ...current.properties.keys()]);
  for (const name of names) {
    const before = old.properties.get(name);
    const after = current.properties.get(name);
    const oldPtr = joinPointer(old.ptr, "properties", name);
    const newPtr = joinPointer(current.ptr, "properties", name);
    if (before && after) nested.push(...compareNodes(ctx, before, after));
    else if (before) removed(ctx, before, slotOf(current, name), oldPtr, newPtr, own, nested);
    else if (after) {
      const required = current.required.includes(name);
      added(ctx, after, slotOf(old, name), { required, withDefault: hasDefault(after) }, oldPtr, newPtr, own, nested);
    }
  }
}

/**
 * `patternProperties`: the same pattern compares as a nested schema; a pattern that comes or goes is
 * a family of optional properties added or removed, against the rest of the object (we do not
 * compare one pattern with another, so a pattern replaced by a wider one reads as removed).
 */
function comparePatterns(ctx: Context, old: ObjectNode, current: ObjectNode, own: Found[], nested: Found[]): void {
  for (const p of old.patterns) {
    const oldPtr = joinPointer(old.ptr, "patternProperties", p.pattern);
    const newPtr = joinPointer(current.ptr, "patternProperties", p.pattern);
    const q = current.patterns.find((c) => c.pattern === p.pattern);
    if (q) nested.push(...compareNodes(ctx, p.node, q.node));
    else removed(ctx, p.node, restSlot(current), oldPtr, newPtr, own, nested);
  }
  for (const q of current.patterns) {
    if (old.patterns.some((p) => p.pattern === q.pattern)) continue;
    const oldPtr = joinPointer(old.ptr, "patternProperties", q.pattern);
    const newPtr = joinPointer(current.ptr, "patternProperties", q.pattern);
    added(ctx, q.node, restSlot(old), { required: false, withDefault: false }, oldPtr, newPtr, own, nested);
  }
}

/** A property the new schema no longer lists: may new events still carry it? */
function removed(ctx: Context, before: Node, where: Slot, oldPtr: string, newPtr: string, own: Found[], nested: Found[]): void {
  if (where === "open") own.push(at("PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL", oldPtr, newPtr, "old"));
  else if (where === "closed") {
    const type =
      deref(before).kind === "false"
        ? "PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL"
        : "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL";
    own.push(at(type, oldPtr, newPtr, "old"));
  } else {
    const sub = compareNodes(ctx, before, where);
    nested.push(...sub);
    const type = ctx.isCompatible(sub)
      ? "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
      : "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL";
    own.push(at(type, oldPtr, newPtr, "old"));
  }
}

/** A property the old schema did not list: could old events already carry it? */
function added(
  ctx: Context,
  after: Node,
  where: Slot,
  { required, withDefault }: { required: boolean; withDefault: boolean },
  oldPtr: string,
  newPtr: string,
  own: Found[],
  nested: Found[],
): void {
  if (where === "open") {
    // A required property without a default breaks old events that lack it, whatever its schema.
    const type =
      required && !withDefault
        ? "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"
        : deref(after).kind === "empty"
          ? "PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL"
          : required
            ? "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL"
            : "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL";
    own.push(at(type, oldPtr, newPtr));
    return;
  }
  if (where !== "closed") {
    const sub = compareNodes(ctx, where, after);
    nested.push(...sub);
    const type = ctx.isCompatible(sub)
      ? "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
      : "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL";
    own.push(at(type, oldPtr, newPtr));
  }
  const type = !required
    ? "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL"
    : withDefault
      ? "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL"
      : "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL";
  own.push(at(type, oldPtr, newPtr));
}

function hasDefault(node: Node): boolean {
  return node.meta.default !== undefined || deref(node).meta.default !== undefined;
}

function compareDependencies(ctx: Context, old: ObjectNode, current: ObjectNode, own: Found[], nested: Found[]): void {
  const ptrs = (name: string, kind: "required" | "schemas") =>
    [joinPointer(old.ptr, old.dependencyKeywords[kind], name), joinPointer(current.ptr, current.dependencyKeywords[kind], name)] as const;
  for (const name of new Set([...old.dependentRequired.keys(), ...current.dependentRequired.keys()])) {
    const [oldPtr, newPtr] = ptrs(name, "required");
    const before = old.dependentRequired.get(name);
    const after = current.dependentRequired.get(name);
    if (!after) own.push(at("DEPENDENCY_ARRAY_REMOVED", oldPtr, newPtr, "old"));
    else if (!before) own.push(at("DEPENDENCY_ARRAY_ADDED", oldPtr, newPtr));
    else {
      const grew = before.every((p) => after.includes(p));
      const shrank = after.every((p) => before.includes(p));
      if (grew && shrank) continue;
      own.push(at(grew ? "DEPENDENCY_ARRAY_EXTENDED" : shrank ? "DEPENDENCY_ARRAY_NARROWED" : "DEPENDENCY_ARRAY_CHANGED", oldPtr, newPtr));
    }
  }
  for (const name of new Set([...old.dependentSchemas.keys(), ...current.dependentSchemas.keys()])) {
    const [oldPtr, newPtr] = ptrs(name, "schemas");
    const before = old.dependentSchemas.get(name);
    const after = current.dependentSchemas.get(name);
    if (before && after) nested.push(...compareNodes(ctx, before, after));
    else if (before) own.push(at("DEPENDENCY_SCHEMA_REMOVED", oldPtr, newPtr, "old"));
    else own.push(at("DEPENDENCY_SCHEMA_ADDED", oldPtr, newPtr));
  }
}

/** `additionalProperties` (or `unevaluatedProperties`): closed, open, or a schema. */
function compareRest(ctx: Context, old: ObjectNode, current: ObjectNode, own: Found[], nested: Found[]): void {
  const keyword = current.rest.keyword ?? old.rest.keyword ?? "additionalProperties";
  const family = keyword === "unevaluatedProperties" ? "UNEVALUATED_PROPERTIES" : "ADDITIONAL_PROPERTIES";
  const oldPtr = joinPointer(old.ptr, old.rest.keyword ?? keyword);
  const newPtr = joinPointer(current.ptr, keyword);
  const side = current.rest.keyword ? "new" : "old";
  compareRestOf(ctx, family, old.rest, current.rest, { oldPtr, newPtr, side }, { own, nested });
}

/** A keyword holding one schema that either side may lack (`propertyNames`, `contains`, all-items `items`). */
export function compareOptional(
  ctx: Context,
  old: Node,
  current: Node,
  keyword: string,
  before: Node | undefined,
  after: Node | undefined,
  own: Found[],
  nested: Found[],
): void {
  if (before && after) nested.push(...compareNodes(ctx, before, after));
  else if (before) own.push(gone("SCHEMA_REMOVED", old, current, keyword));
  else if (after) own.push(here("SCHEMA_ADDED", old, current, keyword));
}
