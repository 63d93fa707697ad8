import pino, { Logger, LoggerOptions } from "pino";

export type { Logger };
export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

/** `false` silences logging; an options object builds a pino logger; a pino instance is used as is. */
export type LoggerOption = false | LoggerOptions | Logger;

function isPinoLogger(value: unknown): value is Logger {
  return typeof value === "object" && value !== null && typeof (value as Logger).child === "function" && "level" in value;
}

export function createLogger(option: LoggerOption | undefined, level: LogLevel | undefined, nodeID: string): Logger {
  if (isPinoLogger(option)) return option.child({ nodeID });
  if (option === false) return pino({ level: "silent" });
  return pino({ level: level ?? "info", ...(option ?? {}), base: { nodeID } });
}
