/**
 * What the CLI makes of each command's result: the text for stdout and stderr, and the exit code.
 * The one place where exit codes are chosen (0 ok, 1 findings, 2 bad usage; each command's
 * declaration says what they mean for it). One presenter per command, keyed by its name:
 * TypeScript refuses a command of src/commands/index.ts without one.
 */

import type { AnyCommand, CommandName } from "../commands/index.js";
import type { CommandArgs } from "../commands/spec.js";
import { hasErrors } from "../diagnostics/index.js";
import { buildSummary, checkSummary, render, renderCompat, renderFmt, renderReleaseDiff } from "./render.js";
import { instancesFailed, renderInstances } from "./render-instances.js";
import { renderNew } from "./render-new.js";

/** What to print and how to exit. */
export interface Presented {
  stdout: string;
  stderr: string;
  code: number;
}

type Presenter<C extends AnyCommand> = (result: Awaited<ReturnType<C["run"]>>, args: Parameters<C["run"]>[0]) => Presented;

/** A report on stdout: exit 1 when it holds an error (a finding), else 0. */
const reported = (stdout: string, failed = false): Presented => ({ stdout, stderr: "", code: failed ? 1 : 0 });

/** A watch session that was stopped (Ctrl-C) ends well: each run was printed as it came. */
const STOPPED: Presented = { stdout: "", stderr: "", code: 0 };

const PRESENTERS: { [C in AnyCommand as C["name"]]: Presenter<C> } = {
  check(output, { flags }) {
    if (output.kind === "watched") return STOPPED;
    const { result, eventsDir } = output;
    return reported(render(flags.format, result.diagnostics, checkSummary(eventsDir, result)), !result.ok);
  },
  build(output, { flags }) {
    if (output.kind === "watched") return STOPPED;
    const { result } = output;
    const s = result.stats;
    const cache = s ? ` (compiled ${s.compiled}, ${s.cached} from the cache)` : "";
    const summary = result.ok ? `${buildSummary(output.outDir, result)}${cache}` : "nothing written";
    return reported(render(flags.format, result.diagnostics, summary), !result.ok);
  },
  compat({ report, oldFile, newFile, policy }, { flags }) {
    // Whatever the verdict: compat reports a classification, not a finding.
    return reported(flags.format === "json" ? `${JSON.stringify(report, null, 2)}\n` : renderCompat(report, oldFile, newFile, policy));
  },
  diff(output, { flags }) {
    if (output.kind === "unchecked") {
      const summary = `checked ${output.eventsDir}: fix these before comparing with a release`;
      return reported(render(flags.format, output.checked.diagnostics, summary), true);
    }
    const { diff, source } = output;
    const failed = hasErrors(diff.diagnostics);
    if (flags.format === "json") return reported(`${JSON.stringify(diff, null, 2)}\n`, failed);
    if (flags.format === "github") return reported(render("github", diff.diagnostics, ""), failed);
    return reported(renderReleaseDiff(diff, source), failed);
  },
  catalog({ result, outDir }, { flags }) {
    const summary = result.ok
      ? `${result.events} event versions, wrote ${outDir}/index.html and ${(result.files?.size ?? 1) - 1} more files`
      : "nothing written";
    return reported(render(flags.format, result.diagnostics, summary), !result.ok);
  },
  validate(result, { flags }) {
    return reported(renderInstances(flags.format, result), instancesFailed(result));
  },
  fmt(result, { flags }) {
    return reported(renderFmt(flags.format, result), !result.ok);
  },
  new({ outcome, eventsDir }) {
    const { stdout, stderr } = renderNew(outcome, eventsDir);
    if (outcome.kind === "missing") return { stdout, stderr, code: 2 };
    // A refusal with diagnostics is a finding (a name check); without, a bad request.
    if (outcome.kind === "refused") return { stdout, stderr, code: outcome.refusal.diagnostics.length > 0 ? 1 : 2 };
    return { stdout, stderr, code: outcome.check.ok ? 0 : 1 };
  },
};

/** Renders the result of the command named `name` and chooses its exit code. */
export function present(name: string, result: unknown, args: CommandArgs): Presented {
  // The parser made `args` from this command's declaration and `result` is what its run returned:
  // the pairing the types of PRESENTERS state, which a lookup by name cannot carry.
  const presenter = PRESENTERS[name as CommandName] as (result: unknown, args: CommandArgs) => Presented;
  return presenter(result, args);
}
