import { BrokerOptionsError } from "../errors";

/** A plugin given by name (`"MsgPack"`), URL (`"nats://…"`), `{ type, options }`, or an instance. */
export type PluginSpec<T> = string | { type: string; options?: Record<string, unknown> } | T;

export type PluginClass<T> = new (options: Record<string, unknown>) => T;

export interface PluginFamily<T> {
  /** Family name for error messages ("transporter", "cacher", …). */
  family: string;
  /** Name → class; names match case-insensitively. */
  table: Record<string, PluginClass<T>>;
  /** URL scheme → name in `table` (`nats` → `NATS`). */
  schemes?: Record<string, string>;
  /** Recognizes an instance the user built. */
  isInstance(value: unknown): value is T;
}

function findClass<T>(family: PluginFamily<T>, name: string): PluginClass<T> {
  const wanted = name.toLowerCase();
  for (const key of Object.keys(family.table)) if (key.toLowerCase() === wanted) return family.table[key];
  throw new BrokerOptionsError(`Unknown ${family.family} '${name}'. Known: ${Object.keys(family.table).join(", ")}.`, {
    name,
  });
}

function fromUrl<T>(family: PluginFamily<T>, url: string, options: Record<string, unknown>): T | undefined {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (!scheme) return undefined;
  const name = family.schemes?.[scheme];
  if (!name) throw new BrokerOptionsError(`No ${family.family} for URL scheme '${scheme}://'.`, { url });
  return new (findClass(family, name))({ ...options, url });
}

/** One resolver for every plugin family: name, URL, options object or instance → plugin. */
export function resolvePlugin<T>(family: PluginFamily<T>, spec: PluginSpec<T>): T {
  if (family.isInstance(spec)) return spec;
  if (typeof spec === "string") return fromUrl(family, spec, {}) ?? new (findClass(family, spec))({});
  if (typeof spec === "object" && spec !== null && typeof (spec as { type?: unknown }).type === "string") {
    const { type, options = {} } = spec as { type: string; options?: Record<string, unknown> };
    return fromUrl(family, type, options) ?? new (findClass(family, type))(options);
  }
  throw new BrokerOptionsError(`Invalid ${family.family} option.`, { spec });
}
