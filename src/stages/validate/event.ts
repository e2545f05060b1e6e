/**
 * Rules about the top level of an event file: a title, a description, data that is an object, and
 * at least one example (a warning: the registry says so).
 */

import { exampleSkeleton, sentenceCase } from "../../diagnostics/hints.js";
import type { FileRule } from "./rule.js";

/** SCHEMA_TITLE: an event has a title. */
export const title: FileRule = {
  code: "SCHEMA_TITLE",
  scope: "event",
  check(file, report) {
    const { json } = file;
    if (typeof json.title === "string" && json.title.trim() !== "") return;
    const name = file.kind.kind === "event" ? file.kind.stem.replace(/\.v[0-9]+$/, "") : "invoice-issued";
    report("", "the event has no title", `add "title": "${sentenceCase(name)}" (a short human name)`);
  },
};

/** SCHEMA_DESCRIPTION: an event has a description. */
export const description: FileRule = {
  code: "SCHEMA_DESCRIPTION",
  scope: "event",
  check(file, report) {
    const { json } = file;
    if (typeof json.description === "string" && json.description.trim() !== "") return;
    const system = file.kind.kind === "event" ? file.kind.system : "<system>";
    report(
      "",
      "the event has no description",
      `add "description": "Emitted by ${system} when …": when the event is emitted, and what it means`,
    );
  },
};

/** SCHEMA_NOT_OBJECT: an event's data is `"type": "object"`. */
export const notObject: FileRule = {
  code: "SCHEMA_NOT_OBJECT",
  scope: "event",
  check({ json }, report) {
    if (json.type === "object") return;
    report(
      "type" in json ? "/type" : "",
      'the event\'s data must be "type": "object"',
      "type" in json
        ? `set "type": "object" and put the value in a named property: "properties": { "value": { "type": ${JSON.stringify(json.type)} } }`
        : 'add "type": "object" and list the fields under "properties"',
    );
  },
};

/** SCHEMA_EXAMPLES: an event has at least one example. */
export const examples: FileRule = {
  code: "SCHEMA_EXAMPLES",
  scope: "event",
  check({ json }, report) {
    if (Array.isArray(json.examples) && json.examples.length > 0) return;
    report(
      "",
      "the event has no examples",
      `add "examples": [${exampleSkeleton(json)}] with realistic values: the build checks every example against the schema`,
    );
  },
};

/** The rules of this file. */
export const EVENT_RULES = [title, description, notObject, examples] as const;
