import { relative } from "node:path";
import { describe } from "../../service/describe";
import { firstLine, RunnerError } from "./errors";
import type { ServiceModule } from "./service-module";

/**
 * Full name → the file defining it, for every service of `modules`. Two
 * services with one full name would collide in the registry; saying which
 * files define it is what the user needs to fix it.
 */
export function serviceOwners(modules: readonly ServiceModule[], cwd: string): Map<string, string> {
  const owners = new Map<string, string>();
  for (const { file, services } of modules) {
    for (const target of services) {
      let fullName: string;
      try {
        fullName = describe(target).fullName;
      } catch (err) {
        throw new RunnerError(`Service '${target.name}' in ${relative(cwd, file)} is invalid: ${firstLine(err)}`, { cause: err });
      }
      const other = owners.get(fullName);
      if (other !== undefined) {
        const where = other === file ? `twice in ${relative(cwd, file)}` : `in both ${relative(cwd, other)} and ${relative(cwd, file)}`;
        throw new RunnerError(`Two services are named '${fullName}': defined ${where}.`);
      }
      owners.set(fullName, file);
    }
  }
  return owners;
}
