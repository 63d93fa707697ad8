/** Runs `tick` every `seconds` (unref'd: a reporter never keeps the process up); returns the stopper. */
export function every(seconds: number, tick: () => Promise<void>, onError: (err: unknown) => void): () => void {
  if (!(seconds > 0)) return () => undefined;
  const timer = setInterval(() => void tick().catch(onError), seconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}

/** Matches Prometheus names against `includes` patterns (`*` is any run of characters); all when none. */
export function nameFilter(includes: string | string[] | undefined): (name: string) => boolean {
  if (includes === undefined) return () => true;
  const patterns = (Array.isArray(includes) ? includes : [includes]).map(
    (p) => new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`),
  );
  return (name) => patterns.some((re) => re.test(name));
}
