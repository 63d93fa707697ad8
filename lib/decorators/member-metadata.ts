/**
 * Per-class lists of decorated members. Each class gets its own copy so a
 * subclass adds to, but never mutates, its parent's list.
 */
export function appendMemberMetadata<T>(key: symbol, ctor: object, entry: T): void {
  const own = Reflect.getOwnMetadata(key, ctor) as T[] | undefined;
  if (own) {
    own.push(entry);
    return;
  }
  const inherited = (Reflect.getMetadata(key, ctor) as T[] | undefined) ?? [];
  Reflect.defineMetadata(key, [...inherited, entry], ctor);
}

export function readMemberMetadata<T>(key: symbol, ctor: object): readonly T[] {
  return (Reflect.getMetadata(key, ctor) as T[] | undefined) ?? [];
}

/** The declared class of a method's first parameter, if TypeScript emitted it. */
export function firstParamType(proto: object, method: string | symbol): unknown {
  const types = Reflect.getMetadata("design:paramtypes", proto, method) as unknown[] | undefined;
  return types?.[0];
}
