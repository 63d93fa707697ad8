import type { ServiceBroker } from "../../../broker";
import type { ParsedArgs, ParseSpec } from "../args";
import type { Style } from "../style";

/** Where commands write: whole lines, a progress line, one-line errors. */
export interface Printer {
  readonly style: Style;
  /** True when the output is a terminal: progress lines rewrite themselves. */
  readonly isTTY: boolean;
  line(text?: string): void;
  /** One readable line, in red on a terminal. */
  error(message: string): void;
  /** A line that the next one replaces on a terminal; one more line elsewhere. */
  progress(text: string): void;
  /** Output that arrives while the prompt waits (an incoming event): keeps the prompt usable. */
  notify(text: string): void;
  /** Clears the screen (terminals only). */
  clearScreen(): void;
}

/** The `listener` command's state: event patterns whose incoming events are printed. */
export interface EventListeners {
  add(pattern: string): Promise<void>;
  remove(pattern: string): boolean;
  list(): string[];
}

export interface ReplContext {
  readonly broker: ServiceBroker;
  readonly out: Printer;
  /** Relative `--load`/`--save` paths resolve here. */
  readonly cwd: string;
  readonly listeners: EventListeners;
  /** Exits the REPL (not the process, nor the broker: whoever started it decides). */
  exit(): void;
  /** The command table, for `help`. */
  readonly commands: readonly Command[];
}

export type CompletionKind = "command" | "action" | "event" | "node" | "cache" | "listener" | "metric";

export interface Command {
  name: string;
  aliases?: string[];
  /** `call <action> [params] [--load [file]] …` */
  usage: string;
  description: string;
  /** How `--flags` parse (which stay strings, which are booleans). */
  parse?: ParseSpec;
  /** What each positional argument completes to, by position. */
  complete?: CompletionKind[];
  /** What a flag's value completes to (`metrics --filter <Tab>`), by flag name. */
  completeFlags?: Record<string, CompletionKind>;
  run(args: ParsedArgs, ctx: ReplContext): Promise<void> | void;
}
