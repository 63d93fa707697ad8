import { Readable } from "node:stream";

/**
 * Whether a value is a Node Readable stream (what a handler returns for a
 * response stream, what `CallOptions.stream` takes). Duck-typed like
 * Moleculer (`readable`, `on`, `pipe`) so a stream from another copy of
 * `node:stream` (a bundled `readable-stream`) counts too.
 */
export function isReadable(value: unknown): value is Readable {
  if (value instanceof Readable) return true;
  if (typeof value !== "object" || value === null) return false;
  const v = value as { readable?: unknown; on?: unknown; pipe?: unknown };
  return v.readable === true && typeof v.on === "function" && typeof v.pipe === "function";
}

/** Whether a readable is in object mode (its chunks are any values, not Buffers). */
export function isObjectMode(stream: Readable): boolean {
  return stream.readableObjectMode === true;
}

/** Resolves once the stream ended, closed or failed (never rejects): how long it is "in flight". */
export function settled(stream: Readable): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || stream.readableEnded) return resolve();
    const done = () => {
      stream.off("end", done);
      stream.off("close", done);
      stream.off("error", done);
      resolve();
    };
    stream.on("end", done);
    stream.on("close", done);
    stream.on("error", done);
  });
}
