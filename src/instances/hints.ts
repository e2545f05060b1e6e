/**
 * The hints of EVENT_INVALID that need the event's schema: the description of a missing property,
 * the allowed names next to an unknown one ("did you mean currency?"), the description of a value
 * that failed. The message itself is rendered by src/runtime/issues.ts, the same as the published
 * runtime's; the runtime gives no such hint, since it holds compiled validators and no schemas.
 */

import type { ErrorObject } from "ajv";
import { distance, valueFix } from "../diagnostics/hints.js";
import { quote } from "../runtime/issues.js";
import { resolveLocalRef } from "../schema/refs.js";
import { isObject } from "../schema/walk.js";
import { INSTANCE_LIMITS } from "./types.js";

/**
 * A hint from the schema: the description of a missing property, the allowed names next to an
 * unknown one, or the description of the value that failed. None for the event or its data as a
 * whole (their descriptions describe the event, not what to fix).
 */
export function hintFor(e: ErrorObject, root: Record<string, unknown>): string | undefined {
  const p = e.params as Record<string, unknown>;
  const node = schemaAt(root, e.instancePath);
  if (e.keyword === "required" && typeof p.missingProperty === "string") {
    const prop = node ? propertySchema(root, node.resolved, p.missingProperty) : undefined;
    // What the property means (its own description) before what shape it has (its definition's).
    const what = prop ? (typeof prop.description === "string" ? prop.description : descriptionOf(root, prop)) : undefined;
    return what ? `add ${p.missingProperty}: ${what}` : undefined;
  }
  const extra = p.additionalProperty ?? p.unevaluatedProperty;
  if (typeof extra === "string") {
    const props = node && isObject(node.resolved.properties) ? Object.keys(node.resolved.properties) : [];
    if (props.length === 0) return undefined;
    const near =
      extra.length > INSTANCE_LIMITS.suggestChars
        ? []
        : props.filter((name) => name.toLowerCase() === extra.toLowerCase() || distance(name, extra, 2) <= 2);
    return near.length > 0
      ? `did you mean ${near.join(" or ")}?`
      : `remove ${quote(extra)}: the properties allowed here are ${props.join(", ")}`;
  }
  if (e.instancePath === "" || e.instancePath === "/data" || !node) return undefined;
  const what = descriptionOf(root, node.raw);
  return what ? `${valueFix(e)}; expected: ${what}` : undefined;
}

/** The schema that governs the value at `pointer`: as written (`raw`) and with `$ref`s followed. */
function schemaAt(
  root: Record<string, unknown>,
  pointer: string,
): { raw: Record<string, unknown>; resolved: Record<string, unknown> } | undefined {
  let raw: Record<string, unknown> = root;
  for (const token of pointer === "" ? [] : pointer.slice(1).split("/").map(unescapeToken)) {
    const next = propertySchema(root, deref(root, raw), token);
    if (!next) return undefined;
    raw = next;
  }
  return { raw, resolved: deref(root, raw) };
}

/** The subschema for one member of an object or item of an array (properties, items, prefixItems, additionalProperties). */
function propertySchema(
  root: Record<string, unknown>,
  schema: Record<string, unknown>,
  token: string,
): Record<string, unknown> | undefined {
  const s = deref(root, schema);
  if (isObject(s.properties) && Object.hasOwn(s.properties, token) && isObject(s.properties[token])) return s.properties[token];
  if (/^(0|[1-9][0-9]*)$/.test(token)) {
    const i = Number(token);
    const tuple = Array.isArray(s.prefixItems) ? s.prefixItems : Array.isArray(s.items) ? s.items : undefined;
    if (tuple && i < tuple.length && isObject(tuple[i])) return tuple[i];
    if (isObject(s.items)) return s.items;
  }
  if (isObject(s.additionalProperties)) return s.additionalProperties;
  return undefined;
}

/** Follows local `$ref`s ("#/$defs/Money"; the published schemas hold no other kind), with the one resolver. */
function deref(root: Record<string, unknown>, schema: Record<string, unknown>): Record<string, unknown> {
  let s = schema;
  for (let hops = 0; hops < 32 && typeof s.$ref === "string" && s.$ref.startsWith("#"); hops++) {
    const target = resolveLocalRef(root, s.$ref)?.schema;
    if (!isObject(target)) break;
    s = target;
  }
  return s;
}

/** The description of a schema: of the definition it refers to when that is more specific, else its own. */
function descriptionOf(root: Record<string, unknown>, schema: Record<string, unknown>): string | undefined {
  const resolved = deref(root, schema);
  // A definition (CurrencyCode: "An ISO 4217 alphabetic currency code.") says what the value must look like.
  if (resolved !== schema && typeof resolved.description === "string" && !isObject(resolved.properties)) return resolved.description;
  if (typeof schema.description === "string") return schema.description;
  return typeof resolved.description === "string" ? resolved.description : undefined;
}

function unescapeToken(token: string): string {
  return token.replace(/~1/g, "/").replace(/~0/g, "~");
}
