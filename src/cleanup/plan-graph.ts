/**
 * The deletion plan's algorithm, for any graph (no data of a tree here: the build uses it for the
 * tree it builds, generate/cleanup.ts, and plan.ts for the package's own graph). The graph has
 * cycles, so the plan is built in three steps:
 *
 * 1. keep what refers, transitively, to the ClientAccount (only that goes with it);
 * 2. group the entities into strongly connected components (Tarjan) and order the components
 *    referrers first (Kahn, ties broken by name) — one stage per component;
 * 3. in a component with a cycle, choose references to clear first (`breakReferences`) so that the
 *    rest is acyclic, and give the deletion order inside the stage once they are cleared.
 *
 * Pure functions: same input, same plan.
 */

/** An entity's name (PascalCase: `Contract`, `PaymentProfile`). */
export type Entity = string;

/** `from` refers to `to`: deleting `to` requires deleting (or detaching) `from` first. */
export interface Reference {
  /** The referrer: its data carries the id of `to`. */
  from: Entity;
  /** The referenced entity. */
  to: Entity;
  /** The referrer may lack it (no event of its topics requires it): it may be cleared to break a cycle. */
  optional?: boolean;
  /** What carries the reference: event types, `envelope` (clientaccountid), or the `system.json` that declares it. */
  carriedBy?: readonly string[];
}

/** One step of a deletion: a single entity, or all the entities of one reference cycle. */
export interface PlanStage {
  /** Entities deleted in this stage (sorted). */
  entities: Entity[];
  /**
   * True when the stage's entities refer to each other in a cycle (for a plan restricted by
   * `include`, possibly through entities this system does not hold).
   */
  cycle: boolean;
  /**
   * For a cycle: the references inside the stage that must be cleared (set to null / detached)
   * before deleting, or else the stage must be deleted in one transaction. Empty otherwise.
   */
  breakReferences: Reference[];
  /** The stage's entities in deletion order (referrers first), once `breakReferences` are cleared. */
  order: Entity[];
}

/** The stages of a deletion, to run first to last; the ClientAccount itself is deleted last. */
export interface DeletionPlan {
  /** Where every deletion starts: the minutes allow no other start. */
  start: "ClientAccount";
  /** Referrers before what they refer to; ClientAccount (when held) in the last stage. */
  stages: PlanStage[];
}

/** A deletion plan that must not be made: a start other than ClientAccount, or an unknown entity. */
export class DeletionPlanError extends Error {
  override name = "DeletionPlanError";
}

/**
 * The plan from `start` over any graph, restricted to the entities `include` holds: what refers to
 * `start` (transitively) is planned whole, then each stage keeps the held entities. Restricting the
 * full plan, rather than planning the held entities alone, keeps the order of references that run
 * through entities other systems hold. No check of the names: deletionPlan's, or the build's.
 */
export function planFrom(start: "ClientAccount", references: readonly Reference[], include: readonly Entity[]): DeletionPlan {
  const scope = referrersOf(start, references);
  // `from` refers to `to`, so `from` is in scope whenever `to` is.
  const graph = planGraph(
    [...scope],
    references.filter((r) => scope.has(r.to)),
  );
  const held = new Set<Entity>(include);
  const stages: PlanStage[] = [];
  for (const stage of graph.stages) {
    const entities = stage.nodes.filter((e) => held.has(e));
    if (entities.length === 0) continue;
    const breakReferences = stage.breakEdges.filter((r) => held.has(r.from) && held.has(r.to));
    const cycle = stage.cycle && (entities.length > 1 || breakReferences.some((r) => r.from === r.to));
    stages.push({ entities, cycle, breakReferences, order: stage.order.filter((e) => held.has(e)) });
  }
  return { start, stages };
}

/** An edge of {@link planGraph}: `from` refers to `to`; an `optional` edge is preferred when breaking cycles. */
export interface GraphEdge<N extends string> {
  from: N;
  to: N;
  optional?: boolean;
}

/** A stage of {@link planGraph}: one strongly connected component. */
export interface GraphStage<N extends string, E extends GraphEdge<N>> {
  /** The component's nodes, sorted. */
  nodes: N[];
  /** More than one node, or a self-loop. */
  cycle: boolean;
  /** Edges inside the component whose removal leaves it acyclic (optional edges preferred); sorted. */
  breakEdges: E[];
  /** The nodes in an order that respects every edge of the component except `breakEdges`. */
  order: N[];
}

/**
 * The same algorithm for any graph (generic, for the property test): nodes, edges from→to. One
 * stage per strongly connected component; a node's stage comes no later than the stage of anything
 * it refers to (strictly earlier unless both are in one component). Ties are broken by name (code
 * unit order), so the plan does not depend on the order of `nodes` or `edges`.
 */
export function planGraph<N extends string, E extends GraphEdge<N> = GraphEdge<N>>(
  nodes: readonly N[],
  edges: readonly E[],
): { stages: GraphStage<N, E>[] } {
  const sorted = [...new Set(nodes)].sort(byName);
  const present = new Set(sorted);
  for (const e of edges) {
    if (!present.has(e.from) || !present.has(e.to)) {
      throw new DeletionPlanError(`edge ${e.from} → ${e.to} names a node that is not in the graph`);
    }
  }

  const components = stronglyConnected(sorted, successors(sorted, edges));
  // A component is named by its first node (components are sorted): that name breaks ties.
  const componentOf = new Map<N, N>();
  for (const c of components) for (const n of c) componentOf.set(n, c[0]!);
  const byRepresentative = new Map(components.map((c) => [c[0]!, c]));
  const between = edges.filter((e) => componentOf.get(e.from) !== componentOf.get(e.to));
  const order = topologicalOrder(
    [...byRepresentative.keys()],
    between.map((e) => ({ from: componentOf.get(e.from)!, to: componentOf.get(e.to)! })),
  );

  const inside = new Map<N, E[]>();
  for (const e of edges) {
    const c = componentOf.get(e.from)!;
    if (c === componentOf.get(e.to)) inside.set(c, [...(inside.get(c) ?? []), e]);
  }
  return {
    stages: order.map((representative) => {
      const members = byRepresentative.get(representative)!;
      const internal = inside.get(representative) ?? [];
      const cycle = members.length > 1 || internal.some((e) => e.from === e.to);
      if (!cycle) return { nodes: members, cycle, breakEdges: [], order: members };
      const breakEdges = feedbackEdges(members, internal);
      const kept = internal.filter((e) => !breakEdges.includes(e));
      return { nodes: members, cycle, breakEdges, order: topologicalOrder(members, kept) };
    }),
  };
}

/** Code unit order: the same on every machine and locale. */
function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorted, distinct successors of every node. */
function successors<N extends string>(nodes: readonly N[], edges: readonly GraphEdge<N>[]): Map<N, N[]> {
  const next = new Map<N, Set<N>>(nodes.map((n) => [n, new Set<N>()]));
  for (const e of edges) next.get(e.from)!.add(e.to);
  return new Map([...next].map(([n, s]) => [n, [...s].sort(byName)]));
}

/** What refers to `start`, directly or transitively, and `start` itself. */
function referrersOf(start: Entity, references: readonly Reference[]): Set<Entity> {
  const found = new Set<Entity>([start]);
  const todo: Entity[] = [start];
  for (let to = todo.pop(); to !== undefined; to = todo.pop()) {
    for (const r of references) {
      if (r.to === to && !found.has(r.from)) {
        found.add(r.from);
        todo.push(r.from);
      }
    }
  }
  return found;
}

/** Tarjan's strongly connected components, iterative (no recursion depth limit); each sorted. */
function stronglyConnected<N extends string>(nodes: readonly N[], next: Map<N, N[]>): N[][] {
  const index = new Map<N, number>();
  const low = new Map<N, number>();
  const stack: N[] = [];
  const onStack = new Set<N>();
  const components: N[][] = [];
  const visit = (n: N) => {
    index.set(n, index.size);
    low.set(n, index.get(n)!);
    stack.push(n);
    onStack.add(n);
  };
  for (const root of nodes) {
    if (index.has(root)) continue;
    visit(root);
    // Each frame: a node and how many of its successors have been looked at.
    const frames: { node: N; seen: number }[] = [{ node: root, seen: 0 }];
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const out = next.get(frame.node)!;
      if (frame.seen < out.length) {
        const w = out[frame.seen++]!;
        if (!index.has(w)) {
          visit(w);
          frames.push({ node: w, seen: 0 });
        } else if (onStack.has(w)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(w)!));
        }
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: N[] = [];
        let w: N;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== frame.node);
        components.push(component.sort(byName));
      }
    }
  }
  return components;
}

/**
 * Kahn's algorithm: referrers before what they refer to; among the ready nodes the first by name.
 * The graph must be acyclic (a cycle here is a bug of this module).
 */
function topologicalOrder<N extends string>(nodes: readonly N[], edges: readonly GraphEdge<N>[]): N[] {
  const referrers = new Map<N, number>(nodes.map((n) => [n, 0]));
  for (const e of edges) referrers.set(e.to, referrers.get(e.to)! + 1);
  const next = new Map<N, N[]>(nodes.map((n) => [n, []]));
  for (const e of edges) next.get(e.from)!.push(e.to);
  // Kept in reverse name order, so that the first by name is popped from the end.
  const ready = nodes.filter((n) => referrers.get(n) === 0).sort((a, b) => byName(b, a));
  const order: N[] = [];
  for (let n = ready.pop(); n !== undefined; n = ready.pop()) {
    order.push(n);
    for (const m of next.get(n)!) {
      const left = referrers.get(m)! - 1;
      referrers.set(m, left);
      if (left === 0) ready.splice(insertionPoint(ready, m), 0, m);
    }
  }
  if (order.length !== nodes.length) throw new Error("topologicalOrder: the graph has a cycle (a bug of planGraph)");
  return order;
}

/** Where `n` goes in `list` (reverse name order) by binary search. */
function insertionPoint(list: readonly string[], n: string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (byName(list[mid]!, n) > 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A feedback edge set of one component, by a greedy heuristic: take the edges one by one, required
 * before optional (so that optional ones are the ones left out), then by name; keep an edge unless it
 * closes a cycle with the edges kept so far. The left-out edges are the answer: the kept ones are
 * acyclic by construction, and the set is minimal (putting back any one of them closes a cycle).
 */
function feedbackEdges<N extends string, E extends GraphEdge<N>>(nodes: readonly N[], edges: readonly E[]): E[] {
  const rank = (e: E) => (e.optional ? 1 : 0);
  const candidates = [...edges].sort((a, b) => rank(a) - rank(b) || byEdge(a, b));
  const kept = new Map<N, N[]>(nodes.map((n) => [n, []]));
  const broken: E[] = [];
  for (const e of candidates) {
    if (reaches(kept, e.to, e.from)) broken.push(e);
    else kept.get(e.from)!.push(e.to);
  }
  return broken.sort(byEdge);
}

/** Edges by referrer, referenced, then required before optional: no tie left that input order could break. */
function byEdge(a: GraphEdge<string>, b: GraphEdge<string>): number {
  return byName(a.from, b.from) || byName(a.to, b.to) || (a.optional ? 1 : 0) - (b.optional ? 1 : 0);
}

/** Whether `to` can be reached from `from` (a node reaches itself). */
function reaches<N extends string>(next: Map<N, N[]>, from: N, to: N): boolean {
  const seen = new Set<N>([from]);
  const todo = [from];
  for (let n = todo.pop(); n !== undefined; n = todo.pop()) {
    if (n === to) return true;
    for (const m of next.get(n) ?? []) {
      if (!seen.has(m)) {
        seen.add(m);
        todo.push(m);
      }
    }
  }
  return false;
}
