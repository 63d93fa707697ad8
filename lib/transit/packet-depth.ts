/**
 * Whether a decoded packet nests objects/arrays deeper than `max` levels (the
 * packet itself is level 1). Runs on every incoming packet before any handler,
 * so it allocates nothing and stops at the first level past `max`; its own
 * recursion is bounded by `max`, so a hostile packet cannot overflow the stack
 * here. Binary values (Buffers from MsgPack) are leaves: walking their bytes
 * would cost as much as the payload.
 */
export function exceedsDepth(value: unknown, max: number): boolean {
  return typeof value === "object" && value !== null && tooDeep(value, max);
}

function tooDeep(value: object, budget: number): boolean {
  if (budget <= 0) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v === "object" && v !== null && tooDeep(v, budget - 1)) return true;
    }
    return false;
  }
  if (ArrayBuffer.isView(value)) return false;
  for (const key in value) {
    const v: unknown = (value as Record<string, unknown>)[key];
    if (typeof v === "object" && v !== null && tooDeep(v, budget - 1)) return true;
  }
  return false;
}
