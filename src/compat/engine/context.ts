/**
 * What the walk carries and what it finds.
 *
 * A `Found` is one change located in both documents: `old` and `new` are the JSON pointers of the
 * place in each (where a thing exists in only one document, the pointer in the other is where it
 * would be), and `side` says which one the public pointer is: "old" for something removed, "new"
 * otherwise. Locating a change in both documents is what lets the forward verdict of a change find
 * the same place in the reverse diff.
 *
 * The `Context` holds the policy (Confluent's walk asks "is this sub-comparison compatible?" to pair
 * union branches and to judge partially open content models) and the memo of compared node pairs,
 * which also makes recursive schemas terminate.
 */

import { joinPointer } from "../../diagnostics/index.js";
import type { ChangeType } from "./change-types.js";
import type { Node } from "./model.js";

/** One change, located in the old and in the new document. */
export interface Found {
  type: ChangeType;
  old: string;
  new: string;
  side: "old" | "new";
  contentModel?: "open" | "closed";
}

/** The state of one diff: the policy and the memo of compared pairs. */
export class Context {
  private readonly memo = new Map<Node, Map<Node, Found[]>>();
  private readonly active = new Map<Node, Set<Node>>();

  constructor(readonly compatible: ReadonlySet<string>) {}

  /** True when every change keeps backward compatibility under the policy. */
  isCompatible(found: readonly Found[]): boolean {
    return found.every((f) => this.compatible.has(f.type));
  }

  /**
   * Compares a pair once. A pair met again while it is being compared is a recursive cycle: it adds
   * nothing (what it would find is found at its first visit) and is not cached.
   */
  memoised(old: Node, current: Node, compare: () => Found[]): Found[] {
    const cached = this.memo.get(old)?.get(current);
    if (cached) return cached;
    const active = this.active.get(old) ?? new Set<Node>();
    if (active.has(current)) return [];
    this.active.set(old, active.add(current));
    try {
      const found = compare();
      const byOld = this.memo.get(old) ?? new Map<Node, Found[]>();
      this.memo.set(old, byOld.set(current, found));
      return found;
    } finally {
      active.delete(current);
    }
  }
}

/** A change at explicit pointers. */
export function at(type: ChangeType, oldPtr: string, newPtr: string, side: "old" | "new" = "new"): Found {
  return { type, old: oldPtr, new: newPtr, side };
}

/** A change at the same place under both nodes (the nodes themselves when no token is given). */
export function here(type: ChangeType, old: Node, current: Node, ...tokens: (string | number)[]): Found {
  return at(type, joinPointer(old.ptr, ...tokens), joinPointer(current.ptr, ...tokens));
}

/** A change about something only the old schema has, at the same place under both nodes. */
export function gone(type: ChangeType, old: Node, current: Node, ...tokens: (string | number)[]): Found {
  return at(type, joinPointer(old.ptr, ...tokens), joinPointer(current.ptr, ...tokens), "old");
}

/** Marks changes as made to an object or array whose old content model was open or closed. */
export function inModel(found: readonly Found[], open: boolean): Found[] {
  return found.map((f) => ({ ...f, contentModel: open ? "open" : "closed" }));
}
