/** Escapes characters Redis MATCH treats as glob syntax. */
export function escapeRedisMatch(literal: string): string {
  return literal.replace(/[*?[\]\\]/g, "\\$&");
}

/**
 * Our glob as a Redis MATCH pattern. Redis `*` also crosses dots, so this is
 * only a pre-filter: every scanned key is checked again with `matchGlob`.
 */
export function toRedisMatch(pattern: string): string {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === "*") {
      out += "*";
      while (pattern[i + 1] === "*") i++;
    } else if (ch === "?") out += "?";
    else out += escapeRedisMatch(ch);
  }
  return out;
}
