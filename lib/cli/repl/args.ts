import minimist from "minimist";

/** Bad input at the prompt: printed as one line, the prompt stays. */
export class ReplInputError extends Error {
  override readonly name = "InputError";
}

/**
 * Splits a command line like a shell does (`'…'` and `"…"` quote, `\` escapes
 * inside double quotes), and keeps a bare JSON value (`{"a": 1}`, `[1, 2]`) in
 * one token even when it holds spaces, so `call math.add {"a": 1, "b": 2}` works.
 */
export function tokenize(line: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < line.length) {
    const ch = line[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    let token = "";
    if (ch === "{" || ch === "[") {
      const end = jsonEnd(line, i);
      tokens.push(line.slice(i, end));
      i = end;
      continue;
    }
    while (i < line.length && !/\s/.test(line[i])) {
      const c = line[i];
      if (c === "'" || c === '"') {
        let close = i + 1;
        // Inside double quotes `\"` and `\\` are escapes; single quotes take everything literally.
        while (close < line.length && line[close] !== c) close += c === '"' && line[close] === "\\" ? 2 : 1;
        if (close >= line.length) throw new ReplInputError(`Unclosed ${c} quote.`);
        const inner = line.slice(i + 1, close);
        token += c === '"' ? inner.replace(/\\(["\\])/g, "$1") : inner;
        i = close + 1;
      } else {
        token += c;
        i++;
      }
    }
    tokens.push(token);
  }
  return tokens;
}

/** Index just past the bracket that closes the one at `start` (strings inside skipped); the line's end if unbalanced. */
function jsonEnd(line: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < line.length; i++) {
    const c = line[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  // Unbalanced: hand JSON.parse the rest of the line, so its message says what is wrong.
  return line.length;
}

export interface ParsedArgs {
  /** Positional arguments, always strings. */
  positional: string[];
  /** `--key value` flags: numbers and `true`/`false` converted, `--a.b 1` nested (minimist's rules). */
  flags: Record<string, unknown>;
}

export interface ParseSpec {
  /** Flags whose value stays a string (`--load file`); an empty string when given with no value. */
  string?: string[];
  boolean?: string[];
}

export function parseArgs(tokens: string[], spec: ParseSpec = {}): ParsedArgs {
  const parsed = minimist(tokens, { string: ["_", ...(spec.string ?? [])], boolean: spec.boolean ?? [] });
  const { _: positional, ...flags } = parsed;
  // minimist sets declared boolean/string flags even when absent: drop those, so "absent" stays distinguishable.
  for (const name of [...(spec.string ?? []), ...(spec.boolean ?? [])]) {
    if (!tokens.some((t) => t === `--${name}` || t.startsWith(`--${name}=`) || t === `--no-${name}`)) delete flags[name];
  }
  for (const [name, value] of Object.entries(flags)) if (!spec.string?.includes(name)) flags[name] = booleans(value);
  return { positional: positional.map(String), flags };
}

/** minimist converts numbers but leaves `--ok true` a string; moleculer-repl users expect a boolean. */
function booleans(value: unknown): unknown {
  if (value === "true") return true;
  if (value === "false") return false;
  if (Array.isArray(value)) return value.map(booleans);
  if (typeof value === "object" && value !== null) {
    for (const [key, inner] of Object.entries(value)) (value as Record<string, unknown>)[key] = booleans(inner);
  }
  return value;
}

/** Parses a JSON argument, turning the parser's message into one readable line. */
export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ReplInputError(`Invalid JSON ${what}: ${(err as Error).message}`);
  }
}

export function looksLikeJson(token: string): boolean {
  return token.startsWith("{") || token.startsWith("[");
}

export interface CallInput {
  params: unknown;
  meta: Record<string, unknown>;
  options: Record<string, unknown>;
}

/**
 * What a call or an event carries, moleculer-repl style: a JSON argument for
 * the params (and a second one for meta), or `--key value` flags; a `#key`
 * flag goes to meta, a `$key` flag to the call options (`--$timeout 500`).
 * `reserved` flags belong to the command (`--load`, `--num`…), not the params.
 */
export function callInput(jsonArgs: string[], flags: Record<string, unknown>, reserved: string[]): CallInput {
  const meta: Record<string, unknown> = {};
  const options: Record<string, unknown> = {};
  const fromFlags: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flags)) {
    if (reserved.includes(key)) continue;
    if (key.startsWith("#")) meta[key.slice(1)] = value;
    else if (key.startsWith("$")) options[key.slice(1)] = value;
    else fromFlags[key] = value;
  }
  const [paramsJson, metaJson, ...extra] = jsonArgs;
  if (extra.length > 0) throw new ReplInputError(`Unexpected argument '${extra[0]}'.`);
  const params = paramsJson === undefined ? fromFlags : parseJson(paramsJson, "params");
  if (metaJson !== undefined) {
    const parsed = parseJson(metaJson, "meta");
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new ReplInputError("Meta must be a JSON object.");
    Object.assign(meta, parsed);
  }
  return { params, meta, options };
}
