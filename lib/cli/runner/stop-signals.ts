export const STOP_SIGNALS: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM"];

/** The process as the signal handler sees it (a fake one in unit specs). */
export interface SignalTarget {
  on(signal: NodeJS.Signals, listener: () => void): unknown;
  off(signal: NodeJS.Signals, listener: () => void): unknown;
}

export interface StopSignalOptions {
  /** The graceful stop; its outcome decides the exit code (0, or 1 if it throws). */
  stop: () => Promise<void>;
  exit: (code: number) => void;
  /** One line per event, for the operator. */
  log: (line: string) => void;
  target?: SignalTarget;
}

export interface StopSignals {
  /** Starts the graceful stop as a first signal would (the REPL's `exit`, a cluster primary's message). */
  trigger(reason: string): void;
  dispose(): void;
}

/**
 * `SIGINT`/`SIGTERM`: the first starts a graceful stop and exits 0 when it
 * completes; a second while it runs forces `exit(1)`, for an operator who
 * does not want to wait for in-flight work.
 */
export function handleStopSignals(options: StopSignalOptions): StopSignals {
  const { stop, exit, log } = options;
  const target = options.target ?? process;
  let stopping = false;
  const begin = (reason: string): void => {
    stopping = true;
    log(`${reason}: stopping gracefully (send it again to force)`);
    stop().then(
      () => exit(0),
      (err: unknown) => {
        log(`Stop failed: ${err instanceof Error ? err.message : String(err)}`);
        exit(1);
      },
    );
  };
  const listeners = STOP_SIGNALS.map((signal) => {
    const listener = (): void => {
      if (!stopping) return begin(signal);
      log(`${signal} again: forcing exit`);
      exit(1);
    };
    target.on(signal, listener);
    return { signal, listener };
  });
  return {
    trigger: (reason) => {
      if (!stopping) begin(reason);
    },
    dispose: () => {
      for (const { signal, listener } of listeners) target.off(signal, listener);
    },
  };
}
