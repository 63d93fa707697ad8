import type { Context } from "../context/context";
import type { CacheSpan, CacheSpans } from "../middleware/cacher";
import type { SpanRecord, SpanSite } from "./span-record";
import type { Tracer } from "./tracer";

/** Ends a cache read's span with its key and outcome. */
class CacheRead implements CacheSpan {
  constructor(
    private readonly tracer: Tracer,
    private readonly span: SpanRecord,
    private readonly key: string,
  ) {}

  end(hit: boolean): void {
    this.span.extra = { "cache.key": this.key, "cache.hit": hit };
    this.tracer.end(this.span);
  }
}

/**
 * Spans for the cacher middleware's reads (tracing's `cache: true`): an
 * INTERNAL span `cache get '<action>'` under the action's span, tagged with
 * the key and whether it was a hit. Only sampled calls get one.
 */
export function cacheSpans(tracer: Tracer): CacheSpans {
  const sites = new Map<string, SpanSite>();
  const siteOf = (action: string, service: string): SpanSite => {
    let site = sites.get(action);
    if (site === undefined) {
      const name = `cache get '${action}'`;
      site = { kind: "internal", type: "cache", role: "cache", name: () => name, service: () => service, attributes: { "action.name": action } };
      sites.set(action, site);
    }
    return site;
  };
  return {
    begin(ctx: Context, key: string): CacheSpan | null {
      if (ctx.tracing !== true) return null;
      const site = siteOf(ctx.action?.name ?? "", ctx.service?.fullName ?? "");
      return new CacheRead(tracer, tracer.begin(site, ctx), key);
    },
  };
}
