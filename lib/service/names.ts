/** Naming rules shared with Moleculer. */

/** `v2.math` for a numeric version, `staging.math` for a string one, else `math`. */
export function serviceFullName(name: string, version?: number | string): string {
  if (version === undefined || version === null || version === "") return name;
  return typeof version === "number" ? `v${version}.${name}` : `${version}.${name}`;
}

/** `MathService` → `math`, `UserProfileService` → `userProfile`, `Greeter` → `greeter`. */
export function defaultServiceName(className: string): string {
  const stripped = className.replace(/Service$/, "") || className;
  return stripped.charAt(0).toLowerCase() + stripped.slice(1);
}
