/* eslint-disable no-console -- a sample prints what it does */
import "reflect-metadata";
import { ValidationError } from "nucleon";
import { ApiGateway } from "./api.gateway";
import { createApp } from "./app";
import { ReportController } from "./report.controller";

async function main(): Promise<void> {
  const broker = createApp({ logLevel: "warn" });
  broker.register(ApiGateway);
  await broker.start();

  console.log("greeter.hello  →", await broker.call("greeter.hello", { name: "nucleon" }));
  console.log("v2.math.add    →", await broker.call("v2.math.add", { a: 2, b: 3 }));
  console.log("v2.math.double →", await broker.call("v2.math.double", { a: 2, b: 3 }));

  const user = await broker.call("users.create", { name: "Ada", email: "ada@example.com" });
  console.log("users.create   →", user);

  try {
    await broker.call("v2.math.add", { a: "two", b: 3 });
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    console.log("invalid call   →", err.name, err.code, JSON.stringify(err.data));
  }

  await broker.emit("user.created", { id: 99, name: "Bob", email: "bob@example.com" });
  await broker.broadcast("user.updated", { id: 99 });

  // A controller resolved from the broker's container receives the broker.
  const report = broker.container.resolve(ReportController);
  console.log("report         →", await report.summary());

  // The HTTP gateway serves the same actions until Ctrl+C.
  const url = broker.getLocalService(ApiGateway)!.url;
  console.log(`\nAPI docs: ${url}/docs   (OpenAPI: ${url}/openapi.json)`);
  console.log("Try:");
  console.log(`  curl '${url}/api/v2/math/add?a=1&b=2'`);
  console.log(`  curl -X POST ${url}/api/users -H 'content-type: application/json' -d '{"name":"Grace","email":"grace@example.com"}'`);
  console.log("Ctrl+C stops it.");

  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  // Graceful: the HTTP server takes no new request, in-flight ones finish, then the broker drains.
  await broker.stop();
  console.log("stopped cleanly");
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
