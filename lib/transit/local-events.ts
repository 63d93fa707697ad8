import type { TransitHost } from "./transit-host";

/** Emits a local `$`-event and moves on: nothing awaits it. */
export type EmitLocal = (event: string, payload: unknown) => void;

/**
 * `host.emitLocal`, fire-and-forget but guarded: a local handler that throws
 * or rejects is logged, never left as an unhandled rejection (which would
 * end the process) nor allowed to break the packet handling that emitted it.
 */
export function localEmitter(host: Pick<TransitHost, "emitLocal" | "logger">): EmitLocal {
  return (event, payload) => {
    let done: Promise<void>;
    try {
      done = host.emitLocal(event, payload);
    } catch (err) {
      done = Promise.reject(err);
    }
    done.catch((err: unknown) => host.logger.warn({ err, event }, "A local event handler failed"));
  };
}
