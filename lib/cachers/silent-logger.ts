import pino, { type Logger } from "pino";

/** Default for cachers built without a logger: they must never print on their own. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
