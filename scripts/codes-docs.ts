/**
 * Writes one page per diagnostic code, docs/codes/<CODE>.md, from the examples beside it and the
 * registry (src/diagnostics/codes.ts: severity and purpose); each page links back to the table of
 * all codes, docs/codes.md (scripts/codes-table.ts):
 *
 *   docs/codes/<CODE>/about.md       why the rule exists (first paragraph), notes (the rest)
 *   docs/codes/<CODE>/wrong/…        the smallest tree (or event file) that breaks the rule
 *   docs/codes/<CODE>/right/…        the same, fixed
 *   docs/codes/<CODE>/example.json   optional: another command, a released tree, set-up steps
 *   docs/codes/_schemas/events/…     the schemas that the `validate` examples are checked against
 *
 * What each page shows `domain-events` printing is printed by the real command, run in-process on
 * a copy of the example when the page is written. `npx tsx scripts/codes-docs.ts --write` rewrites
 * the pages; test/codes-docs.test.ts fails when one is stale, when a code has no page, when a
 * wrong example does not give its code or a right one gives an error.
 */

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, cp, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { main } from "../src/cli/main.js";
import { CODES, type Code, type Diagnostic, severityText } from "../src/diagnostics/index.js";
import { build } from "../src/pipeline.js";

/** The repository root. */
export const ROOT = path.resolve(import.meta.dirname, "..");
/** Where the pages and their examples live. */
export const DOCS = path.join(ROOT, "docs", "codes");

/** docs/codes/<CODE>/example.json: how to show the finding, where `check` is not enough. */
export interface ExampleConfig {
  /** The command that shows the finding (default check). diff compares with released/events; validate checks `files`. */
  command?: "check" | "build" | "diff" | "validate";
  /** validate: the event files, relative to wrong/ and right/. */
  files?: string[];
  /** Extra arguments of the command on both sides, e.g. ["--allow-removal"]. */
  args?: string[];
  /** What git cannot hold, done to a copy of wrong/ before the command runs. Paths are relative to wrong/. */
  setup?: {
    /** Symbolic links to create: link → target (as the link will say). */
    symlinks?: Record<string, string>;
    /** Files to make unreadable (the command then runs as user nobody when run by root). */
    unreadable?: string[];
    /** Files to store as Latin-1 instead of UTF-8. */
    latin1?: string[];
    /** Files to pad with trailing spaces up to this many bytes. */
    pad?: Record<string, number>;
  };
  /** Codes the wrong example shows besides its own (the page shows them too). */
  alsoWrong?: Code[];
  /** Warnings the right example still shows (the page shows them too). */
  rightWarnings?: Code[];
  /**
   * The wrong files whose text the page shows (default: those the findings name, or all when they
   * name none). [] for rules about names only: the listing says it all.
   */
  show?: string[];
}

/** What one side of an example gave: the pretty output, the findings, the exit code, the tree. */
export interface Run {
  command: string;
  output: string;
  diagnostics: Diagnostic[];
  exit: number;
  listing: string;
}

/** A code's example, run on both sides. */
export interface Example {
  code: Code;
  config: ExampleConfig;
  wrong: Run;
  right: Run;
}

/** Every code that has an example folder (the test compares this with CODES). */
export async function documentedCodes(): Promise<string[]> {
  const names = await readdir(DOCS, { withFileTypes: true });
  return names
    .filter((d) => d.isDirectory() && !d.name.startsWith("_"))
    .map((d) => d.name)
    .sort();
}

async function readConfig(code: Code): Promise<ExampleConfig> {
  const file = path.join(DOCS, code, "example.json");
  return existsSync(file) ? (JSON.parse(await readFile(file, "utf8")) as ExampleConfig) : {};
}

let schemasJson: Promise<string> | undefined;
/** The events.json of docs/codes/_schemas/events, which validate's examples are checked against. */
function schemas(): Promise<string> {
  schemasJson ??= (async () => {
    const built = await build({ eventsDir: path.join(DOCS, "_schemas", "events"), cwd: ROOT, cacheDir: false });
    const text = built.files?.get("events.json");
    if (!text) throw new Error(`docs/codes/_schemas/events does not build:\n${JSON.stringify(built.diagnostics, null, 2)}`);
    return text;
  })();
  return schemasJson;
}

/** Runs the CLI in-process; returns the exit code and what it printed. */
async function cli(args: readonly string[]): Promise<{ exit: number; stdout: string }> {
  let stdout = "";
  let stderr = "";
  const exit = await main(args, { write: (s: string) => (stdout += s) }, { write: (s: string) => (stderr += s) });
  if (exit === 2) throw new Error(`domain-events ${args.join(" ")}: ${stderr}`);
  return { exit, stdout };
}

/** Runs the CLI as user nobody (scripts/codes-docs-as-nobody.ts): root reads every file. */
function cliAsNobody(args: readonly string[]): { exit: number; stdout: string } {
  const tsx = path.join(ROOT, "node_modules/tsx/dist/cli.mjs");
  const r = spawnSync(process.execPath, [tsx, path.join(ROOT, "scripts/codes-docs-as-nobody.ts"), ...args], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`running as nobody failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** The tree under `dir` as an indented listing; links show their target. */
async function listing(dir: string, indent = ""): Promise<string> {
  const lines: string[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const full = path.join(dir, name);
    const stat = await lstat(full);
    if (stat.isSymbolicLink()) lines.push(`${indent}${name} -> ${await readlink(full)}`);
    else if (stat.isDirectory()) lines.push(`${indent}${name}/`, await listing(full, `${indent}  `));
    else lines.push(`${indent}${name}`);
  }
  return lines.filter(Boolean).join("\n");
}

/** Runs one side of a code's example on a copy, and rewrites the copy's paths to the example's own. */
async function runSide(code: Code, side: "wrong" | "right", config: ExampleConfig, scratch: string): Promise<Run> {
  const source = path.join(DOCS, code, side);
  const setup = side === "wrong" ? (config.setup ?? {}) : {};
  const asNobody = (setup.unreadable?.length ?? 0) > 0 && process.getuid?.() === 0;
  // A tree for user nobody goes where nobody can reach it: the system's temp folder.
  const base = asNobody ? await mkdtemp(path.join(tmpdir(), "domain-events-docs-")) : scratch;
  if (asNobody) await chmod(base, 0o755);
  const dir = path.join(base, `${code}-${side}`);
  try {
    await cp(source, dir, { recursive: true });
    for (const [link, target] of Object.entries(setup.symlinks ?? {})) {
      await rm(path.join(dir, link), { force: true });
      await symlink(target, path.join(dir, link));
    }
    for (const file of setup.latin1 ?? []) {
      await writeFile(path.join(dir, file), Buffer.from(await readFile(path.join(dir, file), "utf8"), "latin1"));
    }
    for (const [file, size] of Object.entries(setup.pad ?? {})) {
      const bytes = await readFile(path.join(dir, file));
      await writeFile(path.join(dir, file), Buffer.concat([bytes, Buffer.alloc(Math.max(0, size - bytes.length), " ")]));
    }
    for (const file of setup.unreadable ?? []) await chmod(path.join(dir, file), 0o000);

    const rel = path.relative(process.cwd(), dir).split(path.sep).join("/");
    const command = config.command ?? "check";
    let shown: string[];
    let args: string[];
    if (command === "validate") {
      const events = path.join(base, "schemas.json");
      await writeFile(events, await schemas());
      const files = config.files ?? [];
      shown = ["validate", ...files];
      args = ["validate", ...files.map((f) => `${rel}/${f}`), "--events-json", events];
    } else if (command === "diff") {
      const released = await build({ eventsDir: path.join(DOCS, code, "released", "events"), cwd: ROOT, cacheDir: false });
      const text = released.files?.get("events.json");
      if (!text) throw new Error(`docs/codes/${code}/released/events does not build`);
      await mkdir(path.join(dir, "baseline"), { recursive: true });
      await writeFile(path.join(dir, "baseline", "events.json"), text);
      shown = ["diff", "--against", "baseline/events.json"];
      args = ["diff", "--against", `${rel}/baseline/events.json`, "--events", `${rel}/events`];
    } else {
      shown = [command];
      args = [command, "--events", `${rel}/events`, "--no-cache"];
    }
    args.push(...(config.args ?? []));
    shown.push(...(config.args ?? []));
    const run = asNobody ? cliAsNobody : cli;
    const pretty = await run(args);
    const json = await run([...args, "--format", "json"]);
    const local = (text: string) => text.split(`${rel}/`).join("");
    const diagnostics = (JSON.parse(local(json.stdout)) as { diagnostics: Diagnostic[] }).diagnostics;
    if (command === "diff") await rm(path.join(dir, "baseline"), { recursive: true });
    return {
      command: `npx domain-events ${shown.join(" ")}`,
      output: local(pretty.stdout),
      diagnostics,
      exit: pretty.exit,
      listing: await listing(dir),
    };
  } finally {
    if (asNobody) await rm(base, { recursive: true, force: true });
  }
}

/** Runs a code's example, wrong and right. */
export async function runExample(code: Code, scratch: string): Promise<Example> {
  const config = await readConfig(code);
  return { code, config, wrong: await runSide(code, "wrong", config, scratch), right: await runSide(code, "right", config, scratch) };
}

/** Every file under a folder, relative path → text. */
async function files(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const entry of (await readdir(dir, { recursive: true, withFileTypes: true })).filter((d) => d.isFile())) {
    const full = path.join(entry.parentPath, entry.name);
    out.set(path.relative(dir, full).split(path.sep).join("/"), await readFile(full, "utf8"));
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const FENCE: Record<string, string> = { ".json": "json", ".yaml": "yaml", ".yml": "yaml", ".md": "markdown" };
const MAX_LINES = 30;

/** A file as the page shows it: its path, then its text (long files cut, with a link to the whole). */
function showFile(code: Code, side: string, rel: string, text: string): string {
  const lines = text.replace(/\n$/, "").split("\n");
  const cut = lines.length > MAX_LINES;
  const body = cut ? [...lines.slice(0, MAX_LINES - 10), `… (${lines.length - MAX_LINES + 10} more lines)`] : lines;
  const whole = cut ? ` (the whole file: [${side}/${rel}](${code}/${side}/${rel}))` : "";
  return `\`${rel}\`${whole}:\n\n\`\`\`${FENCE[path.extname(rel)] ?? "text"}\n${body.join("\n")}\n\`\`\``;
}

function showRun(run: Run): string {
  return `\`\`\`console\n$ ${run.command}\n${run.output.replace(/\n$/, "")}\n\`\`\``;
}

/** The Markdown page of a code. */
export async function renderPage(example: Example): Promise<string> {
  const { code, wrong, right } = example;
  const own = wrong.diagnostics.filter((d) => d.code === code);
  const hints = [...new Set(own.map((d) => d.hint ?? ""))];
  const about = (await readFile(path.join(DOCS, code, "about.md"), "utf8")).trim().split(/\n\s*\n/);
  const wrongFiles = await files(path.join(DOCS, code, "wrong"));
  const rightFiles = await files(path.join(DOCS, code, "right"));
  // A right file is shown when its text is new: not the same as before, and not a wrong file's that was only renamed.
  const renamed = new Set([...wrongFiles].filter(([rel]) => !rightFiles.has(rel)).map(([, text]) => text));
  const changed = [...rightFiles].filter(([rel, text]) => wrongFiles.get(rel) !== text && !renamed.has(text));
  const named = new Set(wrong.diagnostics.map((d) => d.file));
  const shown = example.config.show ?? ([...wrongFiles.keys()].some((rel) => named.has(rel)) ? [...named] : [...wrongFiles.keys()]);

  const out = [
    `<!-- Generated by \`npx tsx scripts/codes-docs.ts --write\` from docs/codes/${code}/: edit the example there, not this page. -->`,
    "",
    `# ${code}`,
    "",
    `**Rule** (${severityText(code)}): ${CODES[code].purpose}`,
    "",
    `**Fix:** ${hints.join("  \n**Fix:** ")}`,
    "",
    "## Wrong",
    "",
    `\`\`\`text\n${wrong.listing}\n\`\`\``,
    "",
    ...[...wrongFiles].filter(([rel]) => shown.includes(rel)).flatMap(([rel, text]) => [showFile(code, "wrong", rel, text), ""]),
    showRun(wrong),
    "",
    "## Right",
    "",
  ];
  if (right.listing !== wrong.listing) out.push(`\`\`\`text\n${right.listing}\n\`\`\``, "");
  for (const [rel, text] of changed) out.push(showFile(code, "right", rel, text), "");
  if (changed.length === 0) {
    out.push(
      right.listing !== wrong.listing
        ? "Only the names change: the files hold the same text."
        : "The same files, as git holds them (see the notes).",
      "",
    );
  }
  out.push(showRun(right), "", "## Why", "", about[0] ?? "", "");
  if (about.length > 1) out.push("## Notes", "", about.slice(1).join("\n\n"), "");
  out.push(`Example files: [wrong](${code}/wrong/), [right](${code}/right/). All codes: [Diagnostic codes](../codes.md).`, "");
  return out.join("\n");
}

/** Every page: file name (relative to docs/codes) → text, with the examples run to make them. */
export async function pages(codes: readonly Code[] = Object.keys(CODES) as Code[]): Promise<Map<string, string>> {
  await mkdir(path.join(ROOT, ".tmp"), { recursive: true });
  const scratch = await mkdtemp(path.join(ROOT, ".tmp", "codes-docs-"));
  try {
    const out = new Map<string, string>();
    for (const code of codes) out.set(`${code}.md`, await renderPage(await runExample(code, scratch)));
    return out;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const only = process.argv.slice(2).filter((a) => !a.startsWith("--")) as Code[];
  const written = await pages(only.length > 0 ? only : undefined);
  for (const [name, text] of written) {
    if (process.argv.includes("--write")) await writeFile(path.join(DOCS, name), text);
    else process.stdout.write(`${text}\n`);
  }
}
