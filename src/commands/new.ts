/**
 * `domain-events new`: scaffolds an event (and its system's system.json when the system is new),
 * or with --version the next version of one, then checks the tree. The planning and writing live
 * in src/authoring/new.ts; the questions on a terminal come from the CLI's prompter, through the
 * context. The CLI renders the outcome and chooses the exit code.
 */

import { type NewOutcome, runNew } from "../authoring/new.js";
import { EVENTS_FLAG } from "./flags.js";
import { defineCommand, UsageError } from "./spec.js";

/** What new gives the CLI. */
export interface NewCommandOutput {
  eventsDir: string;
  outcome: NewOutcome;
}

/** The flags that fill in a new event; --change fills in a new version. */
const NEW_EVENT_FLAGS = ["title", "description", "owner", "system-title", "system-description"] as const;

export const newCommand = defineCommand({
  name: "new",
  purpose: "scaffold an event, or with --version the next version of one, then check the tree",
  description:
    "Writes a new event (and its system's system.json when the system is new), or with --version copies an " +
    "event's latest version to the next one. Writes new files only, then checks the tree: when the check finds " +
    "an error in what new wrote, it is removed again. On a terminal it asks for what is not given; elsewhere " +
    "the values must be flags, or --yes takes the defaults.",
  positionals: [{ name: "<system>/<topic>/<event>", optional: true, description: "the event, e.g. billing/invoice/invoice-issued" }],
  positionalsUsage: "new takes one event, <system>/<topic>/<event>",
  flags: [
    EVENTS_FLAG,
    { name: "version", type: "boolean", short: "v", description: "make the next version of an existing event" },
    { name: "title", type: "string", placeholder: "T", description: "the event's title" },
    { name: "description", type: "string", placeholder: "D", description: "the event's description: when it is emitted, and by whom" },
    { name: "system-title", type: "string", placeholder: "T", description: "a new system's title" },
    { name: "system-description", type: "string", placeholder: "D", description: "a new system's description" },
    { name: "owner", type: "string", placeholder: "TEAM", description: "a new system's owner" },
    {
      name: "change",
      type: "string",
      placeholder: "TEXT",
      description: 'with --version: what changes and why ("Version N: TEXT." ends the description)',
    },
    { name: "yes", type: "boolean", short: "y", description: "take the default of every value not given, without asking" },
  ],
  exits: [
    { code: 0, meaning: "written and the tree valid" },
    { code: 1, meaning: "a name refused, or the check failed (what new wrote is then removed again if the errors are in it)" },
    { code: 2, meaning: "bad usage or a value missing (no terminal to ask on), cancelled, or a bug in domain-events" },
  ],
  async run({ flags, positionals }, context): Promise<NewCommandOutput> {
    const nextVersion = flags.version;
    const stray = nextVersion ? NEW_EVENT_FLAGS.find((k) => flags[k] !== undefined) : flags.change !== undefined ? "change" : undefined;
    if (stray) throw new UsageError(`--${stray} does not belong to new${nextVersion ? " --version" : ""}`);
    const eventsDir = flags.events;
    // Questions only when a person is there to answer them, and not with --yes.
    const prompter = flags.yes ? undefined : context.prompter();
    const outcome = await runNew({
      eventsDir,
      path: positionals[0],
      nextVersion,
      yes: flags.yes,
      prompter,
      flags: {
        title: flags.title,
        description: flags.description,
        owner: flags.owner,
        systemTitle: flags["system-title"],
        systemDescription: flags["system-description"],
        change: flags.change,
      },
    });
    return { eventsDir, outcome };
  },
});
