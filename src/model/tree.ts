/**
 * The data that flows between the stages. Types narrow stage by stage:
 * SourceFile (discover) → ParsedFile (parse) → EventVersion (versions) → generated files.
 */

import type { Locate } from "../diagnostics/index.js";
import type { RecordDeclaration } from "./cleanup.js";

/** What a file of the events tree is, decided from its path alone. */
export type FileKind =
  | { kind: "event"; system: string; topic: string /** File name without `.json`, e.g. `invoice-issued.v2`. */; stem: string }
  | { kind: "shared" }
  | { kind: "system"; system: string };

/** A file as discover read it. */
export interface SourceFile {
  /** Path for diagnostics: relative to the current folder, forward slashes. */
  file: string;
  /** Path relative to the events folder, forward slashes: the file's identity. */
  rel: string;
  /**
   * The file's bytes. For a file discover knew by its stat (compile/known-tree.ts), read when first
   * asked and checked against `hash`: a file that changed since is a TreeChanged error.
   */
  readonly bytes: Uint8Array;
  /** The sha256 of the bytes, when discover knew it without reading them. */
  hash?: string;
  kind: FileKind;
}

/**
 * A file known by its stat proved to hold other bytes when it was read (it was written during the
 * run): the run starts again, reading the whole tree.
 */
export class TreeChanged extends Error {
  override name = "TreeChanged";
}

/** A file whose text parsed as a JSON object. */
export interface ParsedFile extends SourceFile {
  json: Record<string, unknown>;
  locate: Locate;
}

/** The JSON Schema dialects the build accepts. */
export type Dialect = "2020-12" | "draft-07";

/** One version of one event, with everything its identity implies (DESIGN §2). */
export interface EventVersion {
  source: ParsedFile;
  system: string;
  topic: string;
  event: string;
  version: number;
  /** `<system>.<topic>.<event>.v<N>`: the key of the flat list and the envelope's `type`. */
  type: string;
  /** PascalCase of the event, plus `V<N>` for N ≥ 2. */
  typeName: string;
  latest: boolean;
  deprecated: boolean;
  /** The schema's title (empty without one). */
  title: string;
  dialect: Dialect;
  /**
   * The CloudEvents `source` the envelope must carry: the system's `source` from its system.json
   * (a value ending in `/*` is a prefix). Unset when the system has no system.json.
   */
  sourcePin?: string;
  /** `"signed": true` at the schema's root: the envelope carries `signature` and `signaturekeyid` (model/envelope.ts). */
  signed?: boolean;
}

/** A system's metadata from `<system>/system.json`. */
export interface SystemInfo {
  system: string;
  title: string;
  description: string;
  owner: string;
  source: string;
  /** Records the system holds that have no events of their own (model/cleanup.ts), by entity name. */
  records?: Record<string, RecordDeclaration>;
}

/** The whole checked tree: what generate needs. */
export interface EventTree {
  events: EventVersion[];
  shared: ParsedFile[];
  systems: SystemInfo[];
}
