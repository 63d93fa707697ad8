import type { BrokerOptions } from "../../broker/options";

/**
 * What `nucleon.config.ts|js|json` holds: the broker's options. Environment
 * variables override them when the runner starts (see `applyEnvOverrides`).
 */
export type NucleonConfig = BrokerOptions;

/** Identity, for completion and type checks in `nucleon.config.ts`: `export default defineConfig({ … })`. */
export function defineConfig(config: NucleonConfig): NucleonConfig {
  return config;
}
