/**
 * Moleculer's event-name matching: `?` one character, `*` any run within a
 * dot-separated segment, `**` anything (dots included). Compiled patterns are
 * memoized because the same subscriptions are matched on every emit.
 */
const compiled = new Map<string, RegExp | null>();

function compile(pattern: string): RegExp | null {
  if (!/[*?]/.test(pattern)) return null;
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === "*") {
      if (pattern[i + 1] === "*") {
        source += ".*";
        i++;
      } else source += "[^.]*";
    } else if (ch === "?") source += "[^.]";
    else source += ch.replace(/[.+^${}()|[\]\\/]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

export function matchEventName(name: string, pattern: string): boolean {
  if (name === pattern) return true;
  let re = compiled.get(pattern);
  if (re === undefined) {
    re = compile(pattern);
    compiled.set(pattern, re);
  }
  return re !== null && re.test(name);
}

/** Glob for cache keys and similar: `*` within a segment, `**` across, `?` one char. */
export const matchGlob = matchEventName;
