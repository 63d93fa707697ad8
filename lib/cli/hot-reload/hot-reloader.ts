import { relative } from "node:path";
import { watch, type FSWatcher } from "chokidar";
import type { ServiceBroker } from "../../broker";
import { describe } from "../../service/describe";
import { firstLine } from "../runner/errors";
import { loadServiceModule, type ServiceModule } from "../runner/service-module";
import { Debouncer } from "./debounce";

export interface HotReloadOptions {
  cwd: string;
  /** One line per reload (or failed reload), for the operator. */
  log: (line: string) => void;
  /** Quiet time after the last change before the file is reloaded (ms). */
  debounceMs?: number;
  /** Requires a service file afresh (a spec's own loader stands in for Node's require cache). */
  load?: (file: string) => ServiceModule;
}

/** How one reload ended: the services it swapped, added and removed, or why it kept the old ones. */
export type ReloadOutcome =
  | { file: string; ok: true; replaced: string[]; added: string[]; removed: string[] }
  | { file: string; ok: false; error: string };

/**
 * `--hot`: watches the service files the runner loaded; a changed file is
 * required afresh and only the services it defines are swapped
 * (`broker.replace`: the new version serves at once, calls in flight finish
 * on the old one). A file that fails to load (a syntax error, a throw) or
 * defines a name another file owns changes nothing: the old services keep
 * serving and the error is printed. Only the service file itself is purged
 * from the require cache, not the modules it imports.
 */
export class HotReloader {
  /** File → full names of the services it defines now. */
  private readonly owned = new Map<string, string[]>();
  private readonly debouncer: Debouncer<string>;
  private watcher: FSWatcher | null = null;
  /** Reloads run one at a time, in the order the changes came. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<(outcome: ReloadOutcome) => void>();

  constructor(
    private readonly broker: ServiceBroker,
    modules: readonly ServiceModule[],
    private readonly options: HotReloadOptions,
  ) {
    for (const m of modules) this.owned.set(m.file, m.services.map((s) => describe(s).fullName));
    this.debouncer = new Debouncer(options.debounceMs ?? 100, (file) => void this.reload(file));
  }

  /** Resolves once the watcher is ready: a change from then on is seen. */
  async start(): Promise<void> {
    const watcher = (this.watcher = watch([...this.owned.keys()], { ignoreInitial: true }));
    watcher.on("change", (file) => this.debouncer.push(file));
    watcher.on("add", (file) => this.debouncer.push(file)); // an editor that saves by rename
    watcher.on("error", (err) => this.options.log(`Watcher error: ${firstLine(err)}`));
    await new Promise<void>((ready) => watcher.once("ready", () => ready()));
    this.options.log(`Watching ${this.owned.size} service file(s) for changes`);
  }

  /** Called with each reload's outcome (specs and tooling). */
  onReload(listener: (outcome: ReloadOutcome) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Reloads one service file now (the watcher calls it after the debounce). */
  reload(file: string): Promise<ReloadOutcome> {
    const run = this.queue.then(() => this.reloadNow(file));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    this.debouncer.cancel();
    await this.watcher?.close();
    this.watcher = null;
    await this.queue;
  }

  private async reloadNow(file: string): Promise<ReloadOutcome> {
    const shown = relative(this.options.cwd, file);
    let outcome: ReloadOutcome;
    try {
      outcome = await this.swap(file);
      this.options.log(`Reloaded ${shown}: ${summary(outcome)}`);
    } catch (err) {
      outcome = { file, ok: false, error: firstLine(err) };
      this.options.log(`Reload of ${shown} failed, the running services are kept: ${outcome.error}`);
    }
    for (const listener of this.listeners) listener(outcome);
    return outcome;
  }

  private async swap(file: string): Promise<ReloadOutcome> {
    const loaded = (this.options.load ?? loadServiceModule)(file);
    const before = this.owned.get(file) ?? [];
    const next = loaded.services.map((target) => ({ target, fullName: describe(target).fullName }));
    for (const { fullName } of next) {
      const owner = [...this.owned].find(([other, names]) => other !== file && names.includes(fullName));
      if (owner) throw new Error(`'${fullName}' is already defined in ${relative(this.options.cwd, owner[0])}`);
    }
    if (new Set(next.map((n) => n.fullName)).size !== next.length) throw new Error("two services in the file share a name");
    const replaced: string[] = [];
    const added: string[] = [];
    for (const { target, fullName } of next) {
      await this.broker.replace(target);
      (before.includes(fullName) ? replaced : added).push(fullName);
      // What the file defines so far: a later failure leaves the map true to what runs.
      this.owned.set(file, [...new Set([...(this.owned.get(file) ?? []), fullName])]);
    }
    const removed = before.filter((name) => !next.some((n) => n.fullName === name));
    for (const name of removed) await this.broker.unregister(name);
    this.owned.set(file, next.map((n) => n.fullName));
    return { file, ok: true, replaced, added, removed };
  }
}

function summary(outcome: ReloadOutcome): string {
  if (!outcome.ok) return outcome.error;
  const parts = [
    outcome.replaced.length > 0 ? `replaced ${outcome.replaced.join(", ")}` : "",
    outcome.added.length > 0 ? `added ${outcome.added.join(", ")}` : "",
    outcome.removed.length > 0 ? `removed ${outcome.removed.join(", ")}` : "",
  ].filter((p) => p !== "");
  return parts.length > 0 ? parts.join("; ") : "no services";
}
