/**
 * discover's listing of the events tree (listTree, over glob) and its reads: it lists exactly the
 * entries, with exactly the types and in exactly the order, of glob's `**∕*` (dot files, links not
 * followed); paths in findings are the ones
 * path.relative gave from any working folder; every file's bytes are the file's; the size limit,
 * links and other kinds of entries are refused as before.
 */

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { chmod, mkdir, symlink, truncate, writeFile } from "node:fs/promises";
import path from "node:path";
import { glob } from "glob";
import { describe, expect, it } from "vitest";
import { cmp } from "../src/diagnostics/index.js";
import { LIMITS } from "../src/schema/limits.js";
import { discover, listTree, type TreeEntry, walkTree } from "../src/stages/discover.js";
import { scratch } from "./helpers.js";

const EVENT = '{"title":"x"}\n';

/** A tree with every kind of name and entry the walk has to treat as glob did. */
async function oddTree(): Promise<{ dir: string; events: string }> {
  const dir = await scratch("discover-walk");
  const events = path.join(dir, "events");
  const files = [
    "shop/order/order-placed.json",
    "shop/order/order-placed.yaml",
    ".hidden/x.json",
    "shop/.dot/y.json",
    "shop/order/.order-shipped.json",
    "we ird/na me/e v.json",
    "uni/ü/é.json",
    "br[a]ck*/f?/x{1,2}.json",
    "back\\slash/x/y.json",
    "a/b/c.json",
    "a-b/c/d.json",
    "a.b/c/d.json",
    "A/b/c.json",
    "_shared/money.json",
    `${Array.from({ length: 30 }, (_, i) => `d${i}`).join("/")}/deep.json`,
  ];
  for (const rel of files) {
    await mkdir(path.dirname(path.join(events, rel)), { recursive: true });
    await writeFile(path.join(events, rel), EVENT);
  }
  await mkdir(path.join(events, "empty/inner"), { recursive: true });
  await mkdir(path.join(dir, "outside/inner"), { recursive: true });
  await writeFile(path.join(dir, "outside/inner/z.json"), EVENT);
  await symlink("order-placed.json", path.join(events, "shop/order/order-linked.json"));
  await symlink(path.join("..", "..", "outside"), path.join(events, "shop/linked-folder"));
  await symlink("nowhere.json", path.join(events, "shop/dangling.json"));
  execFileSync("mkfifo", [path.join(events, "shop/order/pipe.json")]);
  return { dir, events };
}

/** What discover listed with glob before the walk (the code of issue 15), as tree entries. */
async function globListing(root: string): Promise<TreeEntry[]> {
  const entries = await glob("**/*", { cwd: root, dot: true, withFileTypes: true, follow: false });
  return entries
    .map((e): TreeEntry => {
      const rel = e.relative().split(path.sep).join("/");
      if (e.isSymbolicLink()) return { rel, type: "link" };
      if (e.isDirectory()) return { rel, type: "folder" };
      return { rel, type: e.isFile() ? "file" : "other" };
    })
    .sort((a, b) => cmp(a.rel, b.rel));
}

describe("discover's walk of the tree", () => {
  it("lists the entries, types and order that glob gave, links unfollowed, dot files and odd names included", async () => {
    const { events } = await oddTree();
    const listed = await listTree(events);
    expect(listed).toEqual(await globListing(events));
    // The tree holds each kind: a walk that lost one would be caught above, and these say it was there.
    const types = new Set((listed as TreeEntry[]).map((e) => e.type));
    expect([...types].sort()).toEqual(["file", "folder", "link", "other"]);
    expect((listed as TreeEntry[]).some((e) => e.rel.includes("outside") || e.rel.startsWith("shop/linked-folder/"))).toBe(false);
  });

  it("walkTree (readdir, for the check by stat) lists exactly what listTree (glob) lists, unreadable folders included", async () => {
    const { events } = await oddTree();
    expect(walkTree(events)).toEqual(await listTree(events));
    // A folder that cannot be listed is an entry with its code in both (root can read anything: skip the chmod then).
    if (process.getuid?.() !== 0) {
      await mkdir(path.join(events, "locked/inner"), { recursive: true });
      await chmod(path.join(events, "locked"), 0o000);
      try {
        const walked = walkTree(events);
        expect(walked).toEqual(await listTree(events));
        expect(walked.find((e) => e.rel === "locked")?.unreadable).toBe("EACCES");
      } finally {
        await chmod(path.join(events, "locked"), 0o755);
      }
    }
  });

  it("says why the events folder cannot be listed, as an error code", async () => {
    const dir = await scratch("discover-walk-missing");
    expect(await listTree(path.join(dir, "nothing-here"))).toBe("ENOENT");
  });

  it("reads every file's bytes exactly, refuses links and the pipe unread, and shows paths as path.relative did from any folder", async () => {
    const { dir, events } = await oddTree();
    const cwds = [
      dir,
      events,
      path.join(events, "shop"),
      path.join(events, "shop/order"),
      path.join(dir, "outside/inner"),
      path.parse(dir).root,
    ];
    for (const cwd of cwds) {
      const found = await discover({ eventsDir: path.relative(cwd, events) || ".", cwd });
      const shown = (rel: string) => path.relative(cwd, path.join(events, rel)).split(path.sep).join("/") || ".";
      for (const file of found.value) {
        expect(file.file).toBe(shown(file.rel));
        expect(Buffer.from(file.bytes).equals(readFileSync(path.join(events, file.rel)))).toBe(true);
      }
      const codes = found.diagnostics.map((d) => `${d.code} ${d.file}`);
      expect(codes).toContain(`LAYOUT_SYMLINK ${shown("shop/order/order-linked.json")}`);
      expect(codes).toContain(`LAYOUT_SYMLINK ${shown("shop/linked-folder")}`);
      expect(codes).toContain(`LAYOUT_SYMLINK ${shown("shop/dangling.json")}`);
      expect(codes).toContain(`LAYOUT_NOT_JSON ${shown("shop/order/order-placed.yaml")}`);
      expect(found.value.map((f) => f.rel)).not.toContain("shop/order/pipe.json");
      expect(found.value.map((f) => f.rel)).toContain("shop/order/order-placed.json");
    }
  });

  it("reads a file of exactly the size limit and an empty one, and refuses one byte more unread", async () => {
    const dir = await scratch("discover-walk-size");
    const events = path.join(dir, "events");
    await mkdir(path.join(events, "shop/order"), { recursive: true });
    const at = path.join(events, "shop/order/at-limit.json");
    const over = path.join(events, "shop/order/over-limit.json");
    await writeFile(at, "");
    await truncate(at, LIMITS.fileBytes);
    await writeFile(over, "");
    await truncate(over, LIMITS.fileBytes + 1);
    await writeFile(path.join(events, "shop/order/empty.json"), "");
    const found = await discover({ eventsDir: events, cwd: dir });
    const byRel = new Map(found.value.map((f) => [f.rel, f.bytes]));
    expect(byRel.get("shop/order/at-limit.json")?.length).toBe(LIMITS.fileBytes);
    expect(byRel.get("shop/order/empty.json")?.length).toBe(0);
    expect(byRel.has("shop/order/over-limit.json")).toBe(false);
    expect(found.diagnostics.map((d) => `${d.code} ${d.file}`)).toContain("LAYOUT_LIMIT_SIZE events/shop/order/over-limit.json");
  });
});
