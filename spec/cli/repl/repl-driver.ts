import { PassThrough } from "node:stream";
import type { ServiceBroker } from "nucleon";
import { startRepl, type ReplHandle, type ReplOptions } from "../../../lib/cli/repl";
import { stripAnsi } from "../../../lib/cli/repl/style";

export const PROMPT = "nucleon $ ";

/**
 * Drives a REPL through injected streams the way a person types: one line,
 * then wait for the prompt to come back; `run` returns what was printed.
 */
function prompts(printed: string): number {
  return printed.split(PROMPT).length - 1;
}

export class ReplDriver {
  readonly input = new PassThrough();
  readonly output = new PassThrough();
  readonly handle: ReplHandle;
  private text = "";
  private waiters: Array<() => void> = [];
  /** Lines typed through `run`. */
  private sent = 0;

  constructor(broker: ServiceBroker, options: ReplOptions = {}) {
    this.output.setEncoding("utf8");
    this.output.on("data", (chunk: string) => {
      this.text += chunk;
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.handle = startRepl(broker, { input: this.input, output: this.output, historyFile: false, ...options });
  }

  /** Everything printed so far, colour codes removed. */
  get printed(): string {
    return stripAnsi(this.text);
  }

  /** Resolves when `check` holds for what was printed; rejects after `timeout` ms with the transcript. */
  waitFor(check: (printed: string) => boolean, timeout = 5000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Timed out; printed so far:\n${this.printed}`)), timeout);
      const test = () => {
        if (check(this.printed)) {
          clearTimeout(timer);
          resolve();
        } else this.waiters.push(test);
      };
      test();
    });
  }

  /**
   * Types `line` and returns what it printed before the prompt came back.
   * Counts prompts rather than looking at the end of the output: an incoming
   * event may print after a prompt (non-terminal mode does not redraw it).
   */
  async run(line: string, timeout = 5000): Promise<string> {
    await this.waitFor((p) => prompts(p) >= this.sent + 1, timeout);
    const mark = this.printed.length;
    this.sent++;
    this.input.write(line + "\n");
    await this.waitFor((p) => prompts(p) >= this.sent + 1, timeout);
    return this.printed.slice(mark, this.printed.lastIndexOf(PROMPT));
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}
