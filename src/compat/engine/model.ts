/**
 * The schema model the diff compares, in the shape of Confluent's (everit's) parsed schemas: every
 * schema object becomes one node of one kind. A schema object that constrains several things at once
 * (`type` with `enum`, keywords of several types, `type` next to `oneOf` …) becomes a *synthetic*
 * `allOf` of one part per thing; a type array becomes a synthetic `anyOf`.
 *
 * Every node keeps `ptr`, the JSON pointer of the schema object it was read from, so changes point
 * into the source files. Synthetic parts share the pointer of their schema object.
 */

/** The annotations Confluent compares (`$id`, title, description, default). */
export interface Meta {
  id?: string;
  title?: string;
  description?: string;
  /** Present when the schema has a `default` (which may be `null`). */
  default?: { value: unknown };
}

interface Base {
  /** JSON pointer of the schema object in its document. */
  ptr: string;
  meta: Meta;
  /** The JSON the node was read from (the whole schema object for a synthetic part). */
  source: unknown;
}

/** `{}` or `true`: accepts anything. */
export interface EmptyNode extends Base {
  kind: "empty";
}

/** `false`: accepts nothing. */
export interface FalseNode extends Base {
  kind: "false";
}

/** A `$ref`, resolved lazily (references may form cycles). */
export interface RefNode extends Base {
  kind: "ref";
  /** The resolved target, or undefined when the reference does not resolve (then it is `{}`). */
  resolve: () => Node | undefined;
}

/** A string schema; `requires` is false when the node was inferred from keywords without `type`. */
export interface StringNode extends Base {
  kind: "string";
  requires: boolean;
  bounds: Bounds;
  pattern?: string;
  format?: string;
}

/** A number or integer schema. */
export interface NumberNode extends Base {
  kind: "number";
  requires: boolean;
  integer: boolean;
  bounds: Bounds;
  multipleOf?: number;
}

/** `type: "boolean"`. */
export interface BooleanNode extends Base {
  kind: "boolean";
}

/** `type: "null"`. */
export interface NullNode extends Base {
  kind: "null";
}

/**
 * Where values not listed by position or name go: `additionalProperties`/`additionalItems` (or
 * 2020-12 `items` after `prefixItems`), else `unevaluatedProperties`/`unevaluatedItems`.
 * Absent means open; `true` and `{}` are open; `false` is closed; any other schema is partially open.
 */
export interface Rest {
  /** The keyword that decides, when one is present. */
  keyword?: string;
  permits: boolean;
  schema?: Node;
}

/** An object schema. */
export interface ObjectNode extends Base {
  kind: "object";
  requires: boolean;
  properties: Map<string, Node>;
  required: string[];
  patterns: { pattern: string; regex: RegExp | undefined; node: Node }[];
  rest: Rest;
  /** Property → the properties it requires (draft-07 `dependencies` arrays, 2020-12 `dependentRequired`). */
  dependentRequired: Map<string, string[]>;
  /** Property → the schema the object must match (draft-07 `dependencies` schemas, 2020-12 `dependentSchemas`). */
  dependentSchemas: Map<string, Node>;
  /** The source keywords of the two dependency maps, for pointers. */
  dependencyKeywords: { required: string; schemas: string };
  bounds: Bounds;
  propertyNames?: Node;
}

/** An array schema. */
export interface ArrayNode extends Base {
  kind: "array";
  requires: boolean;
  /** The schema of every item (`items` as a single schema). */
  items?: Node;
  /** Positional item schemas (draft-07 `items: [...]`, 2020-12 `prefixItems`). */
  prefix: Node[];
  prefixKeyword: "items" | "prefixItems";
  rest: Rest;
  bounds: Bounds;
  uniqueItems: boolean;
  contains?: Node;
}

/** `enum` or `const` (a one-value enum). */
export interface EnumNode extends Base {
  kind: "enum";
  keyword: "enum" | "const";
  values: unknown[];
}

/** `not`. */
export interface NotNode extends Base {
  kind: "not";
  not: Node;
}

/** `allOf` (a product), `anyOf` or `oneOf` (sums). */
export interface CombinedNode extends Base {
  kind: "combined";
  criterion: Criterion;
  subschemas: Node[];
  /** True when the combination is implicit (several constraints in one schema object, or a type array). */
  synthetic: boolean;
}

/** `if`/`then`/`else`. */
export interface ConditionalNode extends Base {
  kind: "conditional";
  if: Node;
  then?: Node;
  else?: Node;
}

/** The three ways of combining schemas. */
export type Criterion = "allOf" | "anyOf" | "oneOf";

/** Numeric bounds by keyword (`maxLength`, `minimum`, `minItems` …). */
export type Bounds = Partial<Record<string, number>>;

/** One schema of the model. */
export type Node =
  | EmptyNode
  | FalseNode
  | RefNode
  | StringNode
  | NumberNode
  | BooleanNode
  | NullNode
  | ObjectNode
  | ArrayNode
  | EnumNode
  | NotNode
  | CombinedNode
  | ConditionalNode;

/** A node's kind. */
export type Kind = Node["kind"];

/** Follows references to the node they name; an unresolvable reference or a cycle of references is `{}`. */
export function deref(node: Node): Node {
  const seen = new Set<Node>();
  let at: Node = node;
  while (at.kind === "ref") {
    if (seen.has(at)) return { kind: "empty", ptr: at.ptr, meta: {}, source: {} };
    seen.add(at);
    const next = at.resolve();
    if (!next) return { kind: "empty", ptr: at.ptr, meta: at.meta, source: {} };
    at = next;
  }
  return at;
}

/** True when the object accepts any property it does not list (no pattern, no rest schema, not closed). */
export function isOpenObject(node: ObjectNode): boolean {
  return node.patterns.length === 0 && node.rest.permits && node.rest.schema === undefined;
}

/** True when the array accepts any item beyond its positional schemas. */
export function isOpenArray(node: ArrayNode): boolean {
  return node.rest.permits && node.rest.schema === undefined;
}
