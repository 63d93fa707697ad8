import { ServiceSchemaError } from "../errors";

/**
 * nucleon's decorators are TypeScript's "experimental" ones and read the
 * design-type metadata it emits. Compiled as standard (TC39) decorators, they
 * would be called as `(value, context)` and silently record nothing, so a
 * service would start with no actions: that call form fails loudly instead.
 */
export const DECORATOR_SETUP_HINT =
  'nucleon needs `experimentalDecorators` and `emitDecoratorMetadata` in tsconfig.json ("compilerOptions": ' +
  '{ "experimentalDecorators": true, "emitDecoratorMetadata": true }). Compile with tsc, ts-node or swc ' +
  "(decoratorMetadata on); esbuild-based runners such as tsx never emit the metadata.";

/** Throws when a decorator is applied as a standard (TC39) decorator. */
export function assertLegacyDecorator(decorator: string, second: unknown): void {
  if (typeof second !== "object" || second === null || !("kind" in second)) return;
  const { kind, name } = second as { kind: unknown; name?: unknown };
  const target = typeof name === "string" ? ` to '${name}'` : "";
  throw new ServiceSchemaError(`@${decorator} was applied as a standard (TC39) ${String(kind)} decorator${target}. ${DECORATOR_SETUP_HINT}`, {
    decorator,
  });
}
