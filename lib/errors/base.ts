/**
 * The error hierarchy. Names, codes and types match Moleculer's so an error
 * crosses the wire both ways and is rebuilt as the same class (see
 * `../shared/moleculer-protocol.md` §7). `NucleonError` is the wire's
 * `MoleculerError`; the codec in `codec.ts` maps the four base names.
 */
export type ErrorData = unknown;

export class NucleonError extends Error {
  code: number;
  type: string;
  data: ErrorData;
  retryable: boolean;
  /** Node that raised the error (set when it crossed the network). */
  nodeID?: string;

  constructor(message: string, code = 500, type = "", data?: ErrorData) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.type = type;
    this.data = data;
    this.retryable = false;
  }
}

/** An error the retry policy may retry. */
export class NucleonRetryableError extends NucleonError {
  constructor(message: string, code = 500, type = "", data?: ErrorData) {
    super(message, code, type, data);
    this.retryable = true;
  }
}

/** A server-side failure: retryable, as in Moleculer. */
export class NucleonServerError extends NucleonRetryableError {}

/** The caller's fault (4xx): never retried. */
export class NucleonClientError extends NucleonError {
  constructor(message: string, code = 400, type = "", data?: ErrorData) {
    super(message, code, type, data);
  }
}
