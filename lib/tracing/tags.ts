import type { Attributes } from "@opentelemetry/api";
import type { Context } from "../context/context";
import type { TagSpec } from "./options";

/** Nested objects become dotted keys (`params.user.id`); arrays and deeper levels are JSON strings. */
export function flattenInto(out: Attributes, prefix: string, value: unknown, depth = 0): void {
  if (value === null || value === undefined) return;
  const t = typeof value;
  if (t === "string" || t === "number" || t === "boolean") {
    out[prefix] = value as string | number | boolean;
  } else if (t === "object" && !Array.isArray(value) && depth < 3) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) flattenInto(out, `${prefix}.${k}`, v, depth + 1);
  } else if (t !== "function") {
    try {
      out[prefix] = JSON.stringify(value);
    } catch {
      out[prefix] = String(value);
    }
  }
}

function pick(value: unknown, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (typeof value !== "object" || value === null) return out;
  for (const k of keys) if (k in value) out[k] = (value as Record<string, unknown>)[k];
  return out;
}

function add(out: Attributes, prefix: string, value: unknown, which: boolean | string[] | undefined): void {
  if (which === true) flattenInto(out, prefix, value);
  else if (Array.isArray(which)) flattenInto(out, prefix, pick(value, which));
}

/** The tags a `TagSpec` asks for when the span starts (`params`, `meta`). */
export function startTags(spec: TagSpec, ctx: Context, out: Attributes): void {
  if (typeof spec === "function") {
    const tags = spec(ctx);
    if (tags) for (const [k, v] of Object.entries(tags)) flattenInto(out, k, v);
    return;
  }
  add(out, "params", ctx.params, spec.params);
  if (spec.meta !== undefined && spec.meta !== false) add(out, "meta", ctx.hasMeta ? ctx.meta : {}, spec.meta);
}

/** The tags a `TagSpec` asks for when the handler resolved (`response`). */
export function endTags(spec: TagSpec, ctx: Context, response: unknown): Attributes {
  const out: Attributes = {};
  if (typeof spec === "function") {
    const tags = spec(ctx, response);
    if (tags) for (const [k, v] of Object.entries(tags)) flattenInto(out, k, v);
  } else {
    add(out, "response", response, spec.response);
  }
  return out;
}
