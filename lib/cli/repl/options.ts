export interface ReplOptions {
  /** Default `process.stdin`. */
  input?: NodeJS.ReadableStream;
  /** Default `process.stdout`. */
  output?: NodeJS.WritableStream;
  /** Default `"nucleon $ "`. */
  prompt?: string;
  /** Where history is kept; default `~/.nucleon_repl_history`; `false` keeps none. */
  historyFile?: string | false;
  /** Lines of history kept; default 1000. */
  historySize?: number;
  /** Colours; default: when the output is a TTY. */
  colors?: boolean;
  /** Line editing, up-arrow history and tab completion on the stream; default: when the output is a TTY. */
  terminal?: boolean;
  /** Relative `--load`/`--save` paths resolve here; default `process.cwd()`. */
  cwd?: string;
}

export interface ReplHandle {
  /** Resolves when the user leaves (`exit`, Ctrl-D, end of input) or `close()` is called. */
  readonly closed: Promise<void>;
  /** Closes the prompt; the broker keeps running (stopping it is the caller's choice). */
  close(): Promise<void>;
  /** What Tab offers for `line`: the matches and the fragment they complete. */
  complete(line: string): Promise<[string[], string]>;
}
