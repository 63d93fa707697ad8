import type { BrokerOptions } from "../../broker/options";
import type { NucleonConfig } from "./define-config";

type Env = Record<string, string | undefined>;
type Options = Record<string, unknown>;

/**
 * The broker options, by name: an environment variable may set one even when
 * the config file does not mention it (`TRANSPORTER=nats://…` with no config
 * at all; Moleculer's runner gets this by merging its defaults first), and
 * a `NUCLEON_…` variable counts only if it starts with one of them (so
 * unrelated `NUCLEON_*` variables are not taken for options).
 */
const OPTION_KEYS: readonly (keyof BrokerOptions)[] = [
  "nodeID",
  "namespace",
  "logLevel",
  "requestTimeout",
  "maxCallLevel",
  "validator",
  "registry",
  "metadata",
  "retryPolicy",
  "circuitBreaker",
  "bulkhead",
  "tracking",
  "transporter",
  "serializer",
  "heartbeatInterval",
  "heartbeatTimeout",
  "transit",
  "disableBalancer",
  "cacher",
];

/** Options that are names or URLs: `NODEID=42` stays the string "42". */
const STRING_KEYS = new Set(["nodeID", "namespace", "transporter", "serializer", "cacher", "logLevel"]);

/** Prefix of the generic `NUCLEON_A_B__C_D=…` → `aB.cD` form (Moleculer's `MOL_`). */
export const ENV_PREFIX = "NUCLEON_";

/** `"true"`/`"false"` → boolean, a numeric string → number, anything else as is (Moleculer's rule). */
export function normalizeEnvValue(value: string): string | number | boolean {
  if (value === "true" || value === "false") return value === "true";
  if (value.trim() !== "" && !Number.isNaN(Number(value))) return Number(value);
  return value;
}

function isPlainObject(value: unknown): value is Options {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Each key of `obj` (recursively) is overridden by the variable named like its upper-cased path: `circuitBreaker.enabled` ← `CIRCUITBREAKER_ENABLED`. */
function overrideKeys(obj: Options, env: Env, prefix: string | null, extraKeys: readonly string[]): Options {
  const out: Options = { ...obj };
  for (const key of new Set([...Object.keys(obj), ...extraKeys])) {
    const name = (prefix === null ? key : `${prefix}_${key}`).toUpperCase();
    const raw = env[name];
    if (raw !== undefined && raw !== "") out[key] = prefix === null && STRING_KEYS.has(key) ? raw : normalizeEnvValue(raw);
    else if (isPlainObject(out[key])) out[key] = overrideKeys(out[key] as Options, env, name, []);
  }
  return out;
}

/** `CIRCUIT_BREAKER__ENABLED` → `["circuitBreaker", "enabled"]`. */
function dottedPath(withoutPrefix: string): string[] {
  return withoutPrefix.split("__").map((level) =>
    level
      .toLowerCase()
      .split("_")
      .map((word, i) => (i === 0 || word === "" ? word : word[0].toUpperCase() + word.slice(1)))
      .join(""),
  );
}

function setPath(obj: Options, path: string[], value: unknown): void {
  let node = obj;
  for (const key of path.slice(0, -1)) {
    // Copy on the way down: the config object the user exported stays untouched.
    node[key] = isPlainObject(node[key]) ? { ...(node[key] as Options) } : {};
    node = node[key] as Options;
  }
  node[path[path.length - 1]] = value;
}

/**
 * Moleculer runner's environment rules, applied to a copy of `config`:
 * 1. every option key (nested ones too, and the top-level keys above) is
 *    overridden by its upper-cased name: `NODEID`, `TRANSPORTER`, `LOGLEVEL`,
 *    `NAMESPACE`, `CIRCUITBREAKER_ENABLED`…;
 * 2. then `NUCLEON_<PATH>` (Moleculer's `MOL_<PATH>`) sets any option, `__`
 *    between levels and `_` between words: `NUCLEON_RETRY_POLICY__RETRIES=3`
 *    → `retryPolicy.retries`.
 * Values: `true`/`false` → booleans, numeric strings → numbers.
 */
export function applyEnvOverrides(config: NucleonConfig, env: Env = process.env): NucleonConfig {
  const out = overrideKeys(config as Options, env, null, OPTION_KEYS);
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || raw === undefined) continue;
    const path = dottedPath(name.slice(ENV_PREFIX.length));
    // `NODE_ID` → `nodeId`: the option is matched without case (`nodeID`).
    const option = OPTION_KEYS.find((key) => key.toLowerCase() === path[0].toLowerCase());
    if (option === undefined || path.some((key) => key === "")) continue;
    path[0] = option;
    setPath(out, path, path.length === 1 && STRING_KEYS.has(option) ? raw : normalizeEnvValue(raw));
  }
  return out as NucleonConfig;
}
