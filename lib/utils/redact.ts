/**
 * Credentials out of what a node publishes (`$node.options`, INFO metadata)
 * and logs: a peer or a log reader must never learn the transporter's
 * password. Over-redacting a harmless value is the accepted cost.
 */
export const REDACTED = "***";

/** Key names that hold secrets, at any depth: password, pass, pwd, token, secret, credentials, auth…, key, apiKey, accessKeyId. */
const SENSITIVE_KEY = /pass|pwd|token|secret|credential|auth|key$|keyid$/i;

/**
 * `scheme://user:password@` → `scheme://user:***@`; `scheme://token@` → `scheme://***@`
 * (NATS reads a lone user part as a token). Several comma-separated URLs are each handled.
 */
const URL_USERINFO = /([a-z][a-z0-9+.-]*:\/\/)([^\s:@/,]*)(?::([^\s/,]*))?@/gi;

export function redactUrl(text: string): string {
  if (!text.includes("@")) return text;
  return text.replace(URL_USERINFO, (_match, scheme: string, user: string, pass: string | undefined) =>
    pass !== undefined ? `${scheme}${user}:${REDACTED}@` : `${scheme}${REDACTED}@`,
  );
}

export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEY.test(key);
}

/**
 * A JSON-safe copy of `value` without credentials: sensitive keys become
 * `***`, URL passwords in strings are masked. Like JSON, functions and
 * symbols are dropped and `toJSON` is honoured; unlike it, a class instance
 * (a transporter, a logger) shows as `[ClassName]` and a cycle as `[Circular]`
 * instead of throwing or leaking the instance's fields.
 */
export function redactCredentials(value: unknown): unknown {
  return redact(value, new Set());
}

function redact(value: unknown, seen: Set<object>): unknown {
  if (typeof value === "string") return redactUrl(value);
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "function" || typeof value === "symbol") return undefined;
  if (typeof value !== "object" || value === null) return value;
  if (seen.has(value)) return "[Circular]";
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") return redact((toJSON as () => unknown).call(value), seen);
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => redact(item, seen) ?? null);
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return `[${(value as object).constructor?.name ?? "Object"}]`;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const copy = isSensitiveKey(key) && item !== undefined && item !== null && item !== "" ? REDACTED : redact(item, seen);
      if (copy !== undefined) out[key] = copy;
    }
    return out;
  } finally {
    seen.delete(value);
  }
}
