import { container as rootContainer, InjectionToken } from "tsyringe";
import type { Context } from "../context/context";
import type { BrokerOptions } from "../broker/options";
import { ServiceBroker } from "../broker/service-broker";
import type { Constructor } from "../decorators/types";
import type { ActionDescriptor, ServiceDescriptor } from "../service/descriptor";

/** Replaces a dependency in the test broker's container. */
export type Provider<T = unknown> =
  | { token: InjectionToken<T>; useValue: T }
  | { token: InjectionToken<T>; useClass: Constructor<T> }
  | { token: InjectionToken<T>; useFactory: () => T };

/** Answers an action of a service that is not there: `"users.get": (params, ctx) => user`. */
export type StubHandler = (params: never, ctx: Context) => unknown;

export interface TestBrokerOptions extends BrokerOptions {
  services?: Constructor[];
  providers?: Provider[];
  stubs?: Record<string, StubHandler>;
}

/**
 * A started broker over its own child container: `providers` replace
 * dependencies before the services are resolved, `stubs` answer actions of
 * absent services. Logging is off unless asked for.
 */
export async function createTestBroker(options: TestBrokerOptions = {}): Promise<ServiceBroker> {
  const { services = [], providers = [], stubs = {}, ...brokerOptions } = options;
  const container = (brokerOptions.container ?? rootContainer).createChildContainer();
  for (const provider of providers) {
    if ("useValue" in provider) container.registerInstance(provider.token, provider.useValue);
    else if ("useClass" in provider) container.register(provider.token, { useClass: provider.useClass });
    else container.register(provider.token, { useFactory: provider.useFactory });
  }
  const broker = new ServiceBroker({ logger: false, nodeID: "test-node", ...brokerOptions, container });
  broker.register(...services);
  for (const descriptor of stubDescriptors(stubs)) broker.registerDescriptor(descriptor.descriptor, descriptor.handlers);
  await broker.start();
  return broker;
}

/** Groups stubs by service: `"v2.users.get"` → service `v2.users`, action `get`. */
function stubDescriptors(stubs: Record<string, StubHandler>): { descriptor: ServiceDescriptor; handlers: object }[] {
  const byService = new Map<string, { actions: ActionDescriptor[]; handlers: Record<string, StubHandler> }>();
  for (const [fullAction, handler] of Object.entries(stubs)) {
    const dot = fullAction.lastIndexOf(".");
    if (dot <= 0) throw new Error(`Stub '${fullAction}' must be '<service>.<action>'.`);
    const service = fullAction.slice(0, dot);
    const rawName = fullAction.slice(dot + 1);
    const entry = byService.get(service) ?? { actions: [], handlers: {} };
    entry.actions.push({ name: fullAction, rawName, method: rawName, visibility: "published", params: false, options: {} });
    entry.handlers[rawName] = handler;
    byService.set(service, entry);
  }
  return [...byService].map(([fullName, { actions, handlers }]) => {
    const version = /^v(\d+)\./.exec(fullName)?.[1];
    const name = version ? fullName.slice(fullName.indexOf(".") + 1) : fullName;
    return {
      descriptor: {
        name,
        version: version ? Number(version) : undefined,
        fullName,
        settings: {},
        metadata: {},
        dependencies: [],
        actions,
        events: [],
      },
      handlers,
    };
  });
}
