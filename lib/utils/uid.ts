import { randomUUID } from "node:crypto";

/** UUID v4; node caches entropy, so this is cheap enough per context. */
export function generateUid(): string {
  return randomUUID();
}
