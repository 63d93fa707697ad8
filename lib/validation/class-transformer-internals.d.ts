// class-transformer keeps its metadata store out of its public API; we only
// read it (see compile-instance.ts), and narrow it at runtime before use.
declare module "class-transformer/cjs/storage" {
  export const defaultMetadataStorage: unknown;
}
