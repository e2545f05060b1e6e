/**
 * The reference graph of the test-data cleanup, as the build derived it from the events tree
 * (src/generate/cleanup.ts, published as `cleanup.json`): the entities are the id definitions of
 * `_shared/ids.json` and the records systems declare in their `system.json`; an event of an
 * entity's topic that carries another entity's id is a reference. Nothing here is kept by hand.
 *
 * Every entity belongs to exactly one ClientAccount (every event's envelope carries
 * `clientaccountid`), so every entity refers to ClientAccount directly.
 */

import CLEANUP from "../../build/generated/cleanup.json" with { type: "json" };
import type { CleanupEntity } from "../model/cleanup.js";
import type { Entity, Reference } from "./plan-graph.js";

export type { Entity, Reference } from "./plan-graph.js";

/** One entity: its id definition, its topics, and the systems that hold it (the build's, model/cleanup.ts). */
export type EntityInfo = Readonly<CleanupEntity>;

const graph = CLEANUP as { entities: EntityInfo[]; references: Reference[] };

/** Every entity of the graph, with what the build knows of it, sorted by name. */
export const ENTITY_INFO: readonly EntityInfo[] = Object.freeze(graph.entities.map((e) => Object.freeze({ ...e })));

/** The entities, sorted by name. */
export const ENTITIES: readonly Entity[] = Object.freeze(ENTITY_INFO.map((e) => e.name));

/** Who refers to whom, sorted. */
export const REFERENCES: readonly Reference[] = Object.freeze(graph.references.map((r) => Object.freeze({ ...r })));
