/**
 * A throwaway npm registry for the publishing test: Verdaccio 6.8 from tools/local-registry/,
 * started from its own binary on 127.0.0.1 and a free port, with its storage, htpasswd file and
 * config in a fresh folder under .tmp/, one user, and an .npmrc (for `npm --userconfig`) holding
 * that user's token. Nothing is proxied (`uplinks: {}`), so no request leaves 127.0.0.1.
 *
 * The caller must call stop() (in afterAll): it kills the registry's process group and removes the
 * folder. Should the test process die first, the registry exits with it (exit-with-parent.cjs).
 */

import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** The pinned Verdaccio, installed by `npm ci --prefix tools/local-registry` (prerequisites.ts). */
export const REGISTRY_DIR = path.join(ROOT, "tools/local-registry");
export const VERDACCIO_BIN = path.join(REGISTRY_DIR, "node_modules/verdaccio/bin/verdaccio");

/** Why the registry cannot start, or undefined when it can. */
export function registryMissing(): string | undefined {
  if (existsSync(VERDACCIO_BIN)) return undefined;
  return `Verdaccio is not installed (${path.relative(ROOT, VERDACCIO_BIN)} is missing): run \`npm ci --prefix tools/local-registry\` (test/publish.test.ts does when it can)`;
}

export interface Registry {
  /** The registry's URL, with a trailing slash: http://127.0.0.1:<port>/ */
  readonly url: string;
  /** The user the token belongs to. */
  readonly user: string;
  readonly token: string;
  /** An .npmrc for `npm --userconfig`: `registry=` this registry and the user's token. */
  readonly userconfig: string;
  /**
   * The flags that point an npm command at this registry only, for the end of its command line:
   * `--registry` (which also beats a package's publishConfig), `--userconfig`, a private `--cache`
   * (nothing of a registry on a random port lingers in ~/.npm) and `--noproxy` for 127.0.0.1. On
   * the command line because the npm_config_* variables that `npm test` exports beat an .npmrc.
   */
  readonly npmArgs: readonly string[];
  /** The registry's temporary folder (config, storage, htpasswd, .npmrc, npm cache). */
  readonly dir: string;
  /** What the registry printed so far (stdout and stderr). */
  output(): string;
  /** Kills the registry (its whole process group) and removes its folder. Safe to call twice. */
  stop(): Promise<void>;
}

export interface RegistryOptions {
  /** How long to wait for the registry to answer /-/ping (default 30 s). */
  startTimeoutMs?: number;
}

const LISTEN_PLACEHOLDER = "__LISTEN__";
const MAX_OUTPUT = 64 * 1024;

/** A port that is free on 127.0.0.1 right now (Verdaccio cannot report a port it chose itself). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error("could not pick a free port"))));
    });
  });
}

/** Waits for a process to exit, at most `ms`; true when it did. */
async function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return true;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off("exit", onExit);
      resolve(false);
    }, ms);
    const onExit = () => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once("exit", onExit);
  });
}

/** Sends a signal to the process group the child leads (it was spawned detached); ignores a gone group. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/** One attempt: spawn Verdaccio on the port and wait until it answers /-/ping. */
async function launch(
  dir: string,
  port: number,
  deadline: number,
): Promise<{ child: ChildProcess; output: () => string; addressInUse: boolean; error?: string }> {
  const template = await readFile(path.join(REGISTRY_DIR, "config.yaml"), "utf8");
  if (template.split(LISTEN_PLACEHOLDER).length !== 2) {
    throw new Error(`tools/local-registry/config.yaml must contain ${LISTEN_PLACEHOLDER} exactly once`);
  }
  const config = path.join(dir, "config.yaml");
  await writeFile(config, template.replace(LISTEN_PLACEHOLDER, `127.0.0.1:${port}`));

  // The binary itself (not npx), in its own process group so that stop() can kill everything it
  // started; with an IPC channel, which exit-with-parent.cjs watches.
  const child = spawn(process.execPath, ["--require", path.join(REGISTRY_DIR, "exit-with-parent.cjs"), VERDACCIO_BIN, "--config", config], {
    cwd: dir,
    detached: true,
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
  });
  let buffer = "";
  const collect = (chunk: Buffer) => {
    buffer = (buffer + chunk.toString("utf8")).slice(-MAX_OUTPUT);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  // Verdaccio reports `{ verdaccio_started: true }` over IPC once it listens: so a /-/ping answer
  // comes from this process, not from one that took the port first.
  let listening = false;
  child.on("message", (message) => {
    if (typeof message === "object" && message !== null && "verdaccio_started" in message) listening = true;
  });
  let spawnError: string | undefined;
  child.on("error", (e) => {
    spawnError = e.message;
  });
  const output = () => buffer;

  const url = `http://127.0.0.1:${port}/-/ping`;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const text = output();
      return { child, output, addressInUse: /EADDRINUSE/.test(text), error: `exited with ${child.exitCode ?? child.signalCode}` };
    }
    if (spawnError !== undefined) return { child, output, addressInUse: false, error: `could not be spawned: ${spawnError}` };
    if (listening) {
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
        await response.arrayBuffer();
        if (response.ok) return { child, output, addressInUse: false };
      } catch {
        // not answering yet
      }
    }
    await sleep(100);
  }
  return { child, output, addressInUse: false, error: "did not answer /-/ping" };
}

/** Starts a registry, creates its one user and writes the .npmrc. See the module comment. */
export async function startRegistry(options: RegistryOptions = {}): Promise<Registry> {
  const missing = registryMissing();
  if (missing) throw new Error(missing);
  const timeout = options.startTimeoutMs ?? 30_000;

  await mkdir(path.join(ROOT, ".tmp"), { recursive: true });
  const dir = await mkdtemp(path.join(ROOT, ".tmp", "registry-"));
  const started = performance.now();
  const deadline = Date.now() + timeout;

  let attempt: Awaited<ReturnType<typeof launch>> | undefined;
  let port = 0;
  try {
    // Another process may take the port between freePort() and Verdaccio's listen: try another one.
    for (let tries = 0; tries < 3; tries++) {
      port = await freePort();
      attempt = await launch(dir, port, deadline);
      if (!attempt.error || !attempt.addressInUse) break;
    }
  } catch (e) {
    if (attempt) killGroup(attempt.child, "SIGKILL");
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  const { child, output } = attempt!;

  let stopped: Promise<void> | undefined;
  const killOnExit = () => killGroup(child, "SIGKILL");
  process.once("exit", killOnExit);
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      process.off("exit", killOnExit);
      killGroup(child, "SIGTERM");
      if (!(await exited(child, 5_000))) {
        killGroup(child, "SIGKILL");
        await exited(child, 5_000);
      }
      child.stdout?.destroy();
      child.stderr?.destroy();
      if (child.connected) child.disconnect();
      await rm(dir, { recursive: true, force: true });
    })();
    return stopped;
  };

  if (attempt!.error) {
    const text = output();
    await stop();
    throw new Error(
      `the local registry (Verdaccio, 127.0.0.1:${port}) ${attempt!.error} after ${((performance.now() - started) / 1000).toFixed(1)} s; its output:\n${text || "(none)"}`,
    );
  }

  const url = `http://127.0.0.1:${port}/`;
  try {
    // What `npm adduser` sends (the CouchDB user document); Verdaccio answers with a token.
    const user = "publish-test";
    const password = randomBytes(18).toString("base64url");
    const response = await fetch(`${url}-/user/org.couchdb.user:${encodeURIComponent(user)}`, {
      method: "PUT",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({
        _id: `org.couchdb.user:${user}`,
        name: user,
        password,
        type: "user",
        roles: [],
        date: new Date().toISOString(),
      }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await response.json().catch(() => ({}))) as { token?: unknown; error?: unknown };
    if (response.status !== 201 || typeof body.token !== "string" || body.token === "") {
      throw new Error(`creating the user ${user} answered ${response.status} ${JSON.stringify(body)}`);
    }
    const token = body.token;

    const userconfig = path.join(dir, ".npmrc");
    const host = url.replace(/^http:/, "");
    await writeFile(
      userconfig,
      [`registry=${url}`, `${host}:_authToken=${token}`, "audit=false", "fund=false", "update-notifier=false", ""].join("\n"),
      { mode: 0o600 },
    );
    const npmArgs = [
      "--registry",
      url,
      "--userconfig",
      userconfig,
      "--cache",
      path.join(dir, "npm-cache"),
      "--noproxy",
      "127.0.0.1,localhost",
    ];
    return { url, user, token, userconfig, npmArgs, dir, output, stop };
  } catch (e) {
    const text = output();
    await stop();
    throw new Error(`the local registry started but ${(e as Error).message}; its output:\n${text || "(none)"}`);
  }
}
