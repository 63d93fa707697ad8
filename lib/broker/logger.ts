import pino, { DestinationStream, Logger, LoggerOptions } from "pino";
import { BrokerOptionsError } from "../errors";

export type { Logger };
export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

/** pino's options, plus `pretty`: human-readable lines for development (needs the optional peer `pino-pretty`). */
export type PrettyLoggerOptions = LoggerOptions & { pretty?: boolean | Record<string, unknown> };

/** `false` silences logging; an options object builds a pino logger; a pino instance is used as is. */
export type LoggerOption = false | PrettyLoggerOptions | Logger;

function isPinoLogger(value: unknown): value is Logger {
  return typeof value === "object" && value !== null && typeof (value as Logger).child === "function" && "level" in value;
}

export function createLogger(option: LoggerOption | undefined, level: LogLevel | undefined, nodeID: string): Logger {
  if (isPinoLogger(option)) return option.child({ nodeID });
  if (option === false) return pino({ level: "silent" });
  const { pretty, ...options } = option ?? {};
  const settings = { level: level ?? "info", ...options, base: { nodeID } };
  return pretty ? pino(settings, prettyStream(pretty === true ? {} : pretty)) : pino(settings);
}

type PrettyFactory = (options: Record<string, unknown>) => DestinationStream;

/**
 * Loaded only when asked for: pino-pretty is an optional peer, a development
 * convenience that production JSON logs do without. A synchronous stream (not
 * a worker transport) so a missing module fails here, in the constructor.
 */
function prettyStream(options: Record<string, unknown>): DestinationStream {
  let factory: PrettyFactory;
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires -- optional peer, resolved only with `pretty: true`
    const loaded = require("pino-pretty") as PrettyFactory | { default: PrettyFactory };
    factory = typeof loaded === "function" ? loaded : loaded.default;
  } catch (err) {
    if ((err as { code?: unknown }).code !== "MODULE_NOT_FOUND") throw err;
    throw new BrokerOptionsError(
      '`logger: { pretty: true }` needs the optional peer dependency "pino-pretty": npm install --save-dev pino-pretty',
      { module: "pino-pretty" },
    );
  }
  return factory({ colorize: true, ...options });
}
