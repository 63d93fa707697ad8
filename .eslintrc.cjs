/* ESLint 8 legacy config: @typescript-eslint recommended rules, no `any`. */
module.exports = {
  root: true,
  parser: "@typescript-eslint/parser",
  parserOptions: { ecmaVersion: 2022, sourceType: "module" },
  plugins: ["@typescript-eslint"],
  extends: ["eslint:recommended", "plugin:@typescript-eslint/recommended"],
  env: { node: true, es2022: true, jest: true },
  ignorePatterns: ["dist/", "coverage/", "node_modules/"],
  rules: {
    "@typescript-eslint/no-explicit-any": "error",
    "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    "@typescript-eslint/ban-types": "off",
    "no-constant-condition": ["error", { checkLoops: false }],
  },
  overrides: [
    {
      files: ["spec/**/*.ts", "bench/**/*.ts", "samples/**/*.ts"],
      rules: { "@typescript-eslint/no-non-null-assertion": "off" },
    },
  ],
};
