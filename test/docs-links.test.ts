/**
 * The documentation's links stay alive. Every relative link of README.md, ARCHITECTURE.md and the
 * pages under docs/ (markdown links and images, inline or by reference) points at a file or folder
 * of the repository, and every `#anchor` into a markdown file matches one of its headings, slugged
 * as GitHub slugs them. External links (http, https, mailto) are not fetched: the test runs
 * offline and its verdict does not depend on someone else's site.
 *
 * The generated pages of docs/codes/ are pages like the others. What they are generated from is
 * not: an `about.md` beside a code's examples is pasted into the page docs/codes/<CODE>.md, so its
 * links are written for that page and checked there; the example trees (wrong/, right/, released/,
 * _schemas/) hold test input, not documentation.
 *
 * First the two small parsers as table tests (extracting links, GitHub's slugs), then the pages,
 * and the README's length (issue 15: at most 250 lines; the rest lives in the pages).
 */

import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers.js";

/** A link as written in a page: its target and the line it is on. */
interface Link {
  target: string;
  line: number;
}

/** Fenced code blocks (``` or ~~~) become blank lines: what they show is text, not links or headings. */
function withoutFences(markdown: string): string {
  let fence: string | undefined;
  return markdown
    .split("\n")
    .map((line) => {
      const open = /^\s*(`{3,}|~{3,})/.exec(line);
      if (fence === undefined && open) {
        fence = open[1];
        return "";
      }
      if (fence !== undefined) {
        if (line.trim().startsWith(fence)) fence = undefined;
        return "";
      }
      return line;
    })
    .join("\n");
}

/** Inline code spans removed too: `[a](b)` inside backticks is text, not a link. */
function withoutCode(markdown: string): string {
  return withoutFences(markdown).replace(/(`+)[^`\n]*?\1/g, "");
}

/** A target written in angle brackets (`<a b.md>`, for spaces) without them. */
function unbracket(target: string): string {
  return target.replace(/^<|>$/g, "");
}

/** Every link and image of a markdown text: `[text](target "title")`, `![alt](target)`, `[label]: target`. */
function links(markdown: string): Link[] {
  const found: Link[] = [];
  withoutCode(markdown)
    .split("\n")
    .forEach((line, i) => {
      for (const m of line.matchAll(/\]\(\s*(<[^>]*>|[^\s)]+)(?:\s+"[^"]*")?\s*\)/g)) {
        found.push({ target: unbracket(m[1] ?? ""), line: i + 1 });
      }
      const definition = /^\s{0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/.exec(line);
      if (definition) found.push({ target: unbracket(definition[1] ?? ""), line: i + 1 });
    });
  return found;
}

/** A heading's text as GitHub renders it: no markup of links, images, code, emphasis or HTML. */
function headingText(heading: string): string {
  return heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/<[^>]+>/g, "")
    .replace(/[`*]/g, "")
    .trim();
}

/** GitHub's slug of a heading (github-slugger): lowercase, punctuation dropped, each space a hyphen. */
function slug(heading: string): string {
  return headingText(heading)
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
    .replace(/ /g, "-");
}

/** The anchors a markdown text defines: each heading's slug (a repeated one gets -1, -2 …) and HTML ids. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const line of withoutFences(markdown).split("\n")) {
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const base = slug(heading[1] ?? "");
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      out.add(n === 0 ? base : `${base}-${n}`);
    }
    for (const m of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) out.add(m[1] ?? "");
  }
  return out;
}

/** A target with a scheme (https:, mailto: …) leaves the repository by design and is not checked. */
function isExternal(target: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(target);
}

/** The pages: README.md, ARCHITECTURE.md and every markdown page under docs/ (see the header). */
async function pages(): Promise<string[]> {
  const underDocs = (await readdir(path.join(ROOT, "docs"), { recursive: true }))
    .map((rel) => path.join("docs", rel).split(path.sep).join("/"))
    .filter((rel) => rel.endsWith(".md"))
    .filter((rel) => !/^docs\/codes\/[^/]+\/about\.md$/.test(rel))
    .filter((rel) => !/^docs\/codes\/[^/]+\/(wrong|right|released)\//.test(rel) && !rel.startsWith("docs/codes/_schemas/"));
  return ["README.md", "ARCHITECTURE.md", ...underDocs.sort()];
}

/** The file a link's path names: the page itself when empty, the repository root for a leading `/`. */
function resolveTarget(page: string, relPath: string): string {
  if (relPath === "") return path.join(ROOT, page);
  if (relPath.startsWith("/")) return path.join(ROOT, relPath);
  return path.resolve(ROOT, path.dirname(page), relPath);
}

/** What is wrong with one link of a page, or undefined when it is alive. */
async function problem(page: string, text: string, target: string): Promise<string | undefined> {
  if (isExternal(target)) return undefined;
  const [rawPath, anchor] = target.split("#", 2) as [string, string | undefined];
  const relPath = decodeURIComponent(rawPath);
  const file = resolveTarget(page, relPath);
  const rel = path.relative(ROOT, file);
  if (rel.startsWith("..") || path.isAbsolute(rel)) return "points outside the repository";
  if (!existsSync(file)) return `${rel} does not exist`;
  if (anchor === undefined || !file.endsWith(".md")) return undefined;
  const targetText = relPath === "" ? text : await readFile(file, "utf8");
  if (!anchors(targetText).has(anchor)) return `${rel} has no heading with the anchor #${anchor}`;
  return undefined;
}

describe("reading markdown", () => {
  it.each([
    ["a link", "see [the CLI](docs/cli.md).", ["docs/cli.md"]],
    ["an image", "![overview](docs/catalog-overview.png)", ["docs/catalog-overview.png"]],
    ["a link with a title", '[x](a.md "A page")', ["a.md"]],
    ["a link in angle brackets", "[x](<a b.md>)", ["a b.md"]],
    ["an anchor only", "[x](#two-commands)", ["#two-commands"]],
    ["a reference definition", "[cli]: docs/cli.md", ["docs/cli.md"]],
    ["a link in inline code is text", "`[x](nowhere.md)` and [y](y.md)", ["y.md"]],
    ["a link in a fenced block is text", "```\n[x](nowhere.md)\n```\n[y](y.md)", ["y.md"]],
  ])("%s", (_, given, want) => {
    expect(links(given).map((l) => l.target)).toEqual(want);
  });

  it.each([
    ["words", "Two commands", "two-commands"],
    ["code and punctuation", "`compat`: what kind of change is this?", "compat-what-kind-of-change-is-this"],
    ["a link's text", "[The envelope](x.md) and more", "the-envelope-and-more"],
    ["underscores and digits stay", "SCHEMA_TITLE v2", "schema_title-v2"],
    ["each space is a hyphen", "Test data: flag, signal, cascade", "test-data-flag-signal-cascade"],
    ["a slash and a dot go", "check --watch / build.ts", "check---watch--buildts"],
    ["letters beyond ASCII stay", "Straße", "straße"],
  ])("slug: %s", (_, heading, want) => {
    expect(slug(heading)).toBe(want);
  });

  it("a repeated heading gets -1, -2; an HTML id is an anchor too", () => {
    expect([...anchors('# A\n## A\n### A\n<a id="here"></a>\n')]).toEqual(["a", "a-1", "a-2", "here"]);
  });
});

const all = await pages();

describe("the documentation's links", () => {
  it("the pages include the README, ARCHITECTURE.md and the docs/ pages", () => {
    expect(all).toEqual(expect.arrayContaining(["README.md", "ARCHITECTURE.md", "docs/services.md", "docs/authoring.md"]));
  });

  it("the README is read in five minutes: at most 250 lines", async () => {
    const readme = await readFile(path.join(ROOT, "README.md"), "utf8");
    expect(readme.split("\n").length).toBeLessThanOrEqual(250);
  });

  it.each(all)("%s: every relative link and anchor is alive", async (page) => {
    const text = await readFile(path.join(ROOT, page), "utf8");
    const broken: string[] = [];
    for (const link of links(text)) {
      const why = await problem(page, text, link.target);
      if (why) broken.push(`${page}:${link.line}: ${link.target}: ${why}`);
    }
    expect(broken).toEqual([]);
  });
});
