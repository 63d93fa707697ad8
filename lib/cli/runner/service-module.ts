import { ACTIONS_METADATA, EVENTS_METADATA, type Constructor } from "../../decorators";
import { isServiceClass } from "../../service/describe";
import { firstLine, RunnerError } from "./errors";

/** What one service file exports. */
export interface ServiceModule {
  file: string;
  /** Exported `@Service` classes, to register. */
  services: Constructor[];
  /** Exported classes with `@Action`/`@Event` handlers but no `@Service`: skipped, with a warning. */
  undecorated: string[];
}

function exportedValues(exported: unknown): unknown[] {
  if (typeof exported === "function") return [exported];
  if (typeof exported !== "object" || exported === null) return [];
  return [...new Set(Object.values(exported as Record<string, unknown>))];
}

function hasHandlers(target: Function): boolean {
  return Reflect.hasMetadata(ACTIONS_METADATA, target) || Reflect.hasMetadata(EVENTS_METADATA, target);
}

/**
 * Reads the classes of a loaded module. Other exports (DTOs, repositories,
 * constants) are not services and pass silently; a class with handlers but
 * no `@Service` is almost certainly a forgotten decorator, hence the warning.
 */
export function readServiceModule(file: string, exported: unknown): ServiceModule {
  const services: Constructor[] = [];
  const undecorated: string[] = [];
  for (const value of exportedValues(exported)) {
    if (isServiceClass(value)) services.push(value);
    else if (typeof value === "function" && hasHandlers(value)) undecorated.push(value.name);
  }
  return { file, services, undecorated };
}

/** Requires a service file (fresh, if it was loaded before) and reads its classes; a file that throws becomes a one-line `RunnerError`. */
export function loadServiceModule(file: string): ServiceModule {
  delete require.cache[require.resolve(file)];
  let exported: unknown;
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires -- a path known only at run time
    exported = require(file) as unknown;
  } catch (err) {
    throw new RunnerError(`Service file ${file} failed to load: ${firstLine(err)}`, { cause: err });
  }
  return readServiceModule(file, exported);
}
