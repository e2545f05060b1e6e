/**
 * The field-by-field difference between two versions of an event, for the side-by-side view:
 * every field of either version once, in the new version's order (a removed field stays where it
 * was in the old one), marked added, removed, changed or unchanged. What the change means for
 * compatibility is the compat module's verdict, shown beside it; this is the picture.
 */

import { type Field, flatten } from "./fields.js";

/** One line of the side-by-side view. */
export interface FieldChange {
  path: string;
  status: "added" | "removed" | "changed" | "unchanged";
  before?: Field;
  after?: Field;
  /** For a changed field, what changed: `type`, `required`, `constraints`, `description`. */
  what: string[];
}

/** The lines of the side-by-side view from `before` to `after`. */
export function diffFields(before: readonly Field[], after: readonly Field[]): FieldChange[] {
  const oldRows = flatten(before);
  const newRows = flatten(after);
  const oldByPath = new Map(oldRows.map((f) => [f.path, f]));
  const newByPath = new Map(newRows.map((f) => [f.path, f]));
  const lines: FieldChange[] = newRows.map((f) => {
    const o = oldByPath.get(f.path);
    if (!o) return { path: f.path, status: "added", after: f, what: [] };
    const what = changes(o, f);
    return { path: f.path, status: what.length > 0 ? "changed" : "unchanged", before: o, after: f, what };
  });
  // Removed fields go right after the field that preceded them in the old version.
  let anchor = -1;
  for (const o of oldRows) {
    if (newByPath.has(o.path)) {
      anchor = lines.findIndex((l) => l.path === o.path);
      continue;
    }
    lines.splice(anchor + 1, 0, { path: o.path, status: "removed", before: o, what: [] });
    anchor++;
  }
  return lines;
}

function changes(a: Field, b: Field): string[] {
  const what: string[] = [];
  if (a.type !== b.type) what.push("type");
  if (a.required !== b.required) what.push("required");
  if (a.constraints.join("\n") !== b.constraints.join("\n")) what.push("constraints");
  if (a.description !== b.description) what.push("description");
  if (a.deprecated !== b.deprecated) what.push("deprecated");
  return what;
}
