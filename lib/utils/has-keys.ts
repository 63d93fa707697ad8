/** Whether an object has an own or inherited enumerable key, without building a key list. */
export function hasKeys(o: object): boolean {
  for (const _ in o) return true;
  return false;
}
