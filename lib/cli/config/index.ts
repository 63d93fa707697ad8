export { defineConfig } from "./define-config";
export type { NucleonConfig } from "./define-config";
export { applyEnvOverrides, normalizeEnvValue, ENV_PREFIX } from "./env-overrides";
export { ConfigError, CONFIG_FILES, findConfigFile, loadConfigFile } from "./load-config";
