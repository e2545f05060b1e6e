/**
 * The envelope (DESIGN §3): the one definition, aligned with CloudEvents 1.0, that every event
 * travels in. Each event's published schema is this envelope with `type` fixed to the event's type
 * and `data` set to the event's own schema. It uses only keywords that draft-07 and 2020-12 share.
 */

/** The envelope's properties, in the order they are documented and typed. */
export const ENVELOPE_PROPERTIES = {
  specversion: { description: "The CloudEvents version of the envelope.", const: "1.0" },
  id: {
    description: "Identifies the event; unique within its source. A retry carries the same id.",
    type: "string",
    minLength: 1,
  },
  source: {
    description: "The system that emitted the event, as a URI reference (see the system's system.json).",
    type: "string",
    format: "uri-reference",
    minLength: 1,
  },
  type: {
    description: "The event's type: <system>.<topic>.<event>.v<N>.",
    type: "string",
  },
  time: { description: "When the occurrence happened (RFC 3339).", type: "string", format: "date-time" },
  datacontenttype: { description: "The media type of data.", const: "application/json" },
  subject: {
    description: "The subject of the event within its source, such as the id of the entity it is about.",
    type: "string",
    minLength: 1,
  },
  clientaccountid: {
    description:
      "The ClientAccount the event belongs to. Every system uses it to find, and on a test account's deletion to delete, the persisted events of that account.",
    type: "string",
    minLength: 1,
  },
  data: { description: "The event's own payload." },
} as const;

/**
 * The CloudEvents extension attributes of an event that travels signed (`"signed": true` at the root
 * of its schema): required in its envelope, after the others. The signature is Ed25519's 64 bytes in
 * base64url without padding; what it covers is the producer's contract (the cleanup signal:
 * src/cleanup/signature.ts).
 */
export const SIGNATURE_PROPERTIES = {
  signature: {
    description:
      "The producer's Ed25519 signature of the event (its canonical JSON, RFC 8785, without this attribute), in base64url without padding.",
    type: "string",
    pattern: "^[A-Za-z0-9_-]{86}$",
  },
  signaturekeyid: {
    description: "The id (kid) of the producer's key that made the signature; the key says which environment it signs for.",
    type: "string",
    pattern: "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$",
  },
} as const;

/** Envelope attributes every event must carry. */
export const ENVELOPE_REQUIRED = ["specversion", "id", "source", "type", "time", "datacontenttype", "clientaccountid", "data"] as const;

/** The published schema of one event: the envelope with its `type` fixed and its `data` schema referenced. */
export function envelopeSchema(options: {
  type: string;
  title: string;
  description?: string;
  deprecated: boolean;
  dataRef: string;
  schemaUri?: string;
  id?: string;
  sourcePin?: string;
  signed?: boolean;
}): Record<string, unknown> {
  const schema: Record<string, unknown> = {};
  if (options.schemaUri) schema.$schema = options.schemaUri;
  if (options.id) schema.$id = options.id;
  schema.title = options.title;
  if (options.description) schema.description = options.description;
  if (options.deprecated) schema.deprecated = true;
  schema.type = "object";
  schema.additionalProperties = false;
  schema.required = [...ENVELOPE_REQUIRED, ...(options.signed ? Object.keys(SIGNATURE_PROPERTIES) : [])];
  schema.properties = {
    ...ENVELOPE_PROPERTIES,
    ...(options.sourcePin ? { source: { ...ENVELOPE_PROPERTIES.source, ...sourceConstraint(options.sourcePin) } } : {}),
    type: { ...ENVELOPE_PROPERTIES.type, const: options.type },
    data: { ...ENVELOPE_PROPERTIES.data, $ref: options.dataRef },
    ...(options.signed ? SIGNATURE_PROPERTIES : {}),
  };
  return schema;
}

/** The envelope alone: every event's attributes, with any `type` and any `data`. */
export function envelopeBaseSchema(id: string): Record<string, unknown> {
  return {
    $id: id,
    type: "object",
    additionalProperties: false,
    required: [...ENVELOPE_REQUIRED],
    properties: stripDescriptions(ENVELOPE_PROPERTIES),
  };
}

/**
 * What the validators compile for one event: the shared envelope (compiled once, referenced by
 * every event) and this event's `type` and `data`. Accepts exactly what `envelopeSchema` accepts.
 * A signed event's envelope has two attributes more than the shared, closed one allows: it is
 * written out whole for that event.
 */
export function compiledEventSchema(options: {
  id: string;
  envelopeId: string;
  type: string;
  dataRef: string;
  sourcePin?: string;
  signed?: boolean;
}): Record<string, unknown> {
  const properties: Record<string, unknown> = { type: { const: options.type }, data: { $ref: options.dataRef } };
  if (options.sourcePin) properties.source = sourceConstraint(options.sourcePin);
  if (!options.signed) return { $id: options.id, allOf: [{ $ref: options.envelopeId }, { properties }] };
  // The shared envelope's properties, each with this event's constraint added (as allOf would).
  const all = stripDescriptions({ ...ENVELOPE_PROPERTIES, ...SIGNATURE_PROPERTIES });
  for (const [name, constraint] of Object.entries(properties)) all[name] = { ...(all[name] as object), ...(constraint as object) };
  return {
    $id: options.id,
    type: "object",
    additionalProperties: false,
    required: [...ENVELOPE_REQUIRED, ...Object.keys(SIGNATURE_PROPERTIES)],
    properties: all,
  };
}

/**
 * Ownership by the envelope: an event's `source` must be its system's. A pin ending in `/*` is a
 * prefix (`/systems/*` accepts `/systems/checkout`), any other an exact value.
 */
export function sourceConstraint(pin: string): Record<string, unknown> {
  if (!pin.endsWith("/*")) return { const: pin };
  const prefix = pin.slice(0, -1).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return { pattern: `^${prefix}[^/]+$` };
}

function stripDescriptions(props: Record<string, { description: string }>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(props).map(([k, { description: _, ...rest }]) => [k, rest]));
}
