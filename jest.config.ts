import type { Config } from "jest";

// @swc/jest instead of ts-jest: several times faster, and with legacyDecorator +
// decoratorMetadata it emits the design:paramtypes our DTO validation relies on.
const swc = {
  jsc: {
    target: "es2022",
    parser: { syntax: "typescript", decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
  },
  module: { type: "commonjs" },
  sourceMaps: "inline",
};

const config: Config = {
  testEnvironment: "node",
  roots: ["<rootDir>/spec"],
  testMatch: ["**/*.spec.ts"],
  transform: { "^.+\\.ts$": ["@swc/jest", swc] },
  moduleNameMapper: {
    "^nucleon$": "<rootDir>/lib/index.ts",
    "^nucleon/testing$": "<rootDir>/lib/testing/index.ts",
    "^nucleon/gateway$": "<rootDir>/lib/gateway/index.ts",
  },
  setupFiles: ["reflect-metadata"],
  globalSetup: "<rootDir>/spec/support/global-setup.ts",
  collectCoverageFrom: ["lib/**/*.ts", "!lib/**/index.ts"],
  coverageReporters: ["text-summary", "lcov"],
  coverageThreshold: { global: { lines: 85 } },
  testTimeout: 20000,
};

export default config;
