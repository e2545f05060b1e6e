/**
 * The formats the published validators implement: a contract of the package (the schema stage
 * refuses any other, the editor schemas offer these, the hints give an example of each).
 */

/** Formats the validators implement. Anything else is a SCHEMA_FORMAT error. */
export const ALLOWED_FORMATS = [
  "date",
  "date-time",
  "duration",
  "email",
  "hostname",
  "ipv4",
  "ipv6",
  "json-pointer",
  "regex",
  "time",
  "uri",
  "uri-reference",
  "uuid",
] as const;
