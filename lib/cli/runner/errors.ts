/** A mistake in how the runner was started (paths, service files, names): reported in one line, without a stack. */
export class RunnerError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RunnerError";
  }
}

/** The first line of an error's message (a compiler error lists its source frame below). */
export function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split("\n").find((line) => line.trim() !== "") ?? message;
}

/**
 * What a startup failure prints: `<Name>: <message>` in one line, or the
 * full stack (with the cause's) when debugging.
 */
export function formatStartupError(err: unknown, debug: boolean): string {
  if (debug && err instanceof Error) {
    const cause = err.cause instanceof Error ? `\nCaused by: ${err.cause.stack ?? err.cause.message}` : "";
    return `${err.stack ?? err.message}${cause}`;
  }
  const name = err instanceof Error ? err.name : "Error";
  return `${name}: ${firstLine(err)}`;
}
