export { Context } from "./context";
export type {
  Meta,
  ContextService,
  ContextEndpoint,
  CallOptions,
  EmitOptions,
  McallDefinition,
  McallOptions,
  McallInput,
  FallbackResponse,
  ContextBroker,
  CallFunction,
  EmitFunction,
  ActionArgs,
  ActionMethods,
  ActionResult,
} from "./context";
