import { NucleonClientError, NucleonError } from "../errors";

/** A gateway's settings are wrong (an alias it cannot parse, a route it cannot add). */
export class GatewayOptionsError extends NucleonError {
  constructor(message: string) {
    super(message, 500, "GATEWAY_OPTIONS");
  }
}

/** No alias (nor mapped action) for the request: nothing was called. */
export class RouteNotFoundError extends NucleonClientError {
  constructor(method: string, path: string) {
    super(`Not found: ${method} ${path}`, 404, "NOT_FOUND", { method, path });
  }
}

/** The `authenticate` hook refused the request. */
export class UnauthorizedError extends NucleonClientError {
  constructor(message = "Unauthorized", type = "UNAUTHORIZED") {
    super(message, 401, type);
  }
}

/** The `authorize` hook refused the request. */
export class ForbiddenError extends NucleonClientError {
  constructor(message = "Forbidden", type = "FORBIDDEN") {
    super(message, 403, type);
  }
}

/** The route does not accept the request's body format. */
export class UnsupportedMediaTypeError extends NucleonClientError {
  constructor(contentType: string) {
    super(`Unsupported media type: ${contentType}`, 415, "UNSUPPORTED_MEDIA_TYPE", { contentType });
  }
}

/** The gateway is stopping: it takes no new request. */
export class GatewayStoppingError extends NucleonError {
  constructor() {
    super("The API gateway is stopping", 503, "GATEWAY_STOPPING");
  }
}

/** A body, a streamed body or an uploaded file over its limit. */
export class RequestTooLargeError extends NucleonClientError {
  /** fastify keeps a parser error's own status when it has this. */
  readonly statusCode = 413;
  constructor(what: string, limit: number) {
    super(`The ${what} is over the limit of ${limit} bytes`, 413, "PAYLOAD_TOO_LARGE", { limit });
  }
}

/** A `multipart:` alias got a form with neither a file nor a field. */
export class FileMissingError extends NucleonClientError {
  constructor() {
    super("File missing in the request", 400, "FILE_MISSING");
  }
}
