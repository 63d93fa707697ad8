import { BrokerOptionsError } from "../errors";

/**
 * A plugin class. `Extra` are the family's construction arguments after the
 * options (a strategy also gets the broker's `StrategyServices`).
 */
export type PluginClass<T, Options extends object = Record<string, unknown>, Extra extends unknown[] = []> = new (
  options: Options,
  ...extra: Extra
) => T;

/** `{ type, options }`: `type` is a name, a URL or a class. */
export interface PluginOptionsObject<T, Options extends object = Record<string, unknown>, Extra extends unknown[] = []> {
  type: string | PluginClass<T, Options, Extra>;
  options?: Options;
}

/** A plugin given by name (`"MsgPack"`), URL (`"nats://…"`), `{ type, options }`, class or instance. */
export type PluginSpec<T, Options extends object = Record<string, unknown>, Extra extends unknown[] = []> =
  | string
  | PluginClass<T, Options, Extra>
  | PluginOptionsObject<T, Options, Extra>
  | T;

export interface PluginRegistration {
  /** URL schemes, without `://`, that resolve to this plugin (`["mqtt", "mqtts"]`). */
  schemes?: readonly string[];
}

export interface PluginFamily<T> {
  /** Singular, for messages: "transporter", "cacher", … */
  family: string;
  /** Recognizes an instance the user built (duck-typed, so test doubles and other packages' plugins pass). */
  isInstance(value: unknown): value is T;
}

interface Entry<T, Options extends object, Extra extends unknown[]> {
  /** As registered (for messages and `names()`); lookups use the lower-cased key. */
  name: string;
  plugin: PluginClass<T, Options, Extra>;
  schemes: string[];
}

const URL_SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

/**
 * The name → class table of one plugin family, with the URL schemes each
 * plugin declares, and the one resolver every family goes through. Names and
 * schemes match case-insensitively; registering a taken name replaces it (so a
 * user can swap a built-in for a subclass).
 */
export class PluginRegistry<T, Options extends object = Record<string, unknown>, Extra extends unknown[] = []> {
  readonly family: string;
  private readonly isInstance: (value: unknown) => value is T;
  private readonly entries = new Map<string, Entry<T, Options, Extra>>();
  /** scheme → lower-cased name. */
  private readonly schemeIndex = new Map<string, string>();

  constructor(family: PluginFamily<T>) {
    this.family = family.family;
    this.isInstance = family.isInstance;
  }

  register(name: string, plugin: PluginClass<T, Options, Extra>, registration: PluginRegistration = {}): this {
    if (!name || URL_SCHEME.test(name)) throw new BrokerOptionsError(`Invalid ${this.family} name '${name}'.`, { name });
    if (typeof plugin !== "function") throw new BrokerOptionsError(`The ${this.family} '${name}' must be a class.`, { name });
    const key = name.toLowerCase();
    this.unregister(name);
    const schemes = (registration.schemes ?? []).map((s) => s.toLowerCase().replace(/:(\/\/)?$/, ""));
    for (const scheme of schemes) {
      // A scheme moves to the newest plugin that claims it.
      const previous = this.entries.get(this.schemeIndex.get(scheme) ?? "");
      if (previous) previous.schemes = previous.schemes.filter((s) => s !== scheme);
      this.schemeIndex.set(scheme, key);
    }
    this.entries.set(key, { name, plugin, schemes });
    return this;
  }

  /** Removes a plugin and its schemes; true when it was there. */
  unregister(name: string): boolean {
    const key = name.toLowerCase();
    const entry = this.entries.get(key);
    if (!entry) return false;
    for (const scheme of entry.schemes) this.schemeIndex.delete(scheme);
    return this.entries.delete(key);
  }

  has(name: string): boolean {
    return this.entries.has(name.toLowerCase());
  }

  /** The class registered under `name` (any case), or undefined. */
  get(name: string): PluginClass<T, Options, Extra> | undefined {
    return this.entries.get(name.toLowerCase())?.plugin;
  }

  /** Registered names, as spelled at registration, in registration order. */
  names(): string[] {
    return [...this.entries.values()].map((e) => e.name);
  }

  /** The name a URL scheme resolves to (`"nats"` → `"NATS"`), or undefined. */
  schemeOwner(scheme: string): string | undefined {
    const key = this.schemeIndex.get(scheme.toLowerCase().replace(/:(\/\/)?$/, ""));
    return key === undefined ? undefined : this.entries.get(key)?.name;
  }

  /**
   * Name, URL (the plugin gets it as `options.url`), `{ type, options }`,
   * class or instance → an instance. `extra` goes to the constructor after the options.
   */
  resolve(spec: PluginSpec<T, Options, Extra>, ...extra: Extra): T {
    if (this.isInstance(spec)) return spec;
    if (typeof spec === "function") return new spec({} as Options, ...extra);
    if (typeof spec === "string") return this.build(spec, {} as Options, extra);
    if (typeof spec === "object" && spec !== null && "type" in spec) {
      const { type, options = {} as Options } = spec as PluginOptionsObject<T, Options, Extra>;
      if (typeof type === "function") return new type(options, ...extra);
      if (typeof type === "string") return this.build(type, options, extra);
    }
    throw new BrokerOptionsError(
      `Invalid ${this.family} option: expected a name, a URL, { type, options }, a class or an instance.`,
      { spec },
    );
  }

  private build(nameOrUrl: string, options: Options, extra: Extra): T {
    const scheme = URL_SCHEME.exec(nameOrUrl)?.[1]?.toLowerCase();
    if (scheme === undefined) return new (this.find(nameOrUrl))(options, ...extra);
    const key = this.schemeIndex.get(scheme);
    if (key === undefined) {
      const known = [...this.schemeIndex.keys()].map((s) => `${s}://`);
      throw new BrokerOptionsError(
        `No ${this.family} for URL scheme '${scheme}://'. Known schemes: ${known.join(", ") || "none"}.`,
        { url: nameOrUrl, known },
      );
    }
    // Explicit options first, the URL on top: the URL is what picked the plugin.
    return new (this.find(key))({ ...options, url: nameOrUrl } as Options, ...extra);
  }

  private find(name: string): PluginClass<T, Options, Extra> {
    const plugin = this.get(name);
    if (plugin) return plugin;
    const known = this.names();
    throw new BrokerOptionsError(`Unknown ${this.family} '${name}'. Known: ${known.join(", ") || "none"}.`, {
      name,
      known,
    });
  }
}
