import { MissingDriverError } from "../errors";

/** Only the package itself being absent; a missing dependency *of* the package is its own bug to report as is. */
function isPackageMissing(err: unknown, pkg: string): boolean {
  const { code, message } = (err ?? {}) as { code?: unknown; message?: unknown };
  if (code !== "MODULE_NOT_FOUND" || typeof message !== "string") return false;
  return message.split("\n")[0].includes(`'${pkg}'`);
}

/**
 * Loads a plugin's driver (`nats`, `ioredis`, `msgpackr`, …) when the plugin is
 * first built, not when nucleon is imported: drivers are optional peer
 * dependencies, so an app installs only those it uses. `M` is the module's
 * type, taken from an `import type`; Node caches the module after the first call.
 *
 * @param plugin who needs it, for the message: "The NATS transporter".
 */
export function loadDriver<M>(pkg: string, plugin: string): M {
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires -- the point: resolved on first use, not at import
    return require(pkg) as M;
  } catch (err) {
    if (isPackageMissing(err, pkg)) throw new MissingDriverError({ package: pkg, plugin });
    throw err;
  }
}
