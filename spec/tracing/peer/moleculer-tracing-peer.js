#!/usr/bin/env node
/*
 * A real Moleculer 0.14 node with its own Zipkin exporter, for the cross-node
 * trace spec. Env: PEER_NODE_ID, PEER_NAMESPACE (required). Its action
 * `molrelay.relay` calls `nucb.back` on a nucleon node. Prints READY once its
 * INFO went out; stops when stdin closes or on SIGTERM, and exits by itself
 * after 60 s whatever happens.
 */
"use strict";
/* eslint-disable @typescript-eslint/no-var-requires -- plain CommonJS, run by `node` */
const { ServiceBroker } = require("moleculer");

const broker = new ServiceBroker({
	nodeID: process.env.PEER_NODE_ID,
	namespace: process.env.PEER_NAMESPACE,
	transporter: "nats://127.0.0.1:4222",
	logger: false,
	tracing: {
		enabled: true,
		exporter: { type: "Zipkin", options: { baseURL: "http://127.0.0.1:9411", interval: 0.2 } }
	}
});

broker.createService({
	name: "molrelay",
	actions: {
		async relay(ctx) {
			const back = await ctx.call("nucb.back", ctx.params);
			return { via: broker.nodeID, back };
		}
	}
});

let stopping = false;
function stop() {
	if (stopping) return;
	stopping = true;
	// One more interval, so the last spans reach Zipkin before the exporter's timer stops.
	setTimeout(() => broker.stop().finally(() => process.exit(0)), 500);
}

process.stdin.on("end", stop);
process.stdin.resume();
process.on("SIGTERM", stop);
setTimeout(() => process.exit(3), 60000).unref();

broker.start().then(
	() => setTimeout(() => process.stdout.write("READY\n"), 1500),
	err => {
		process.stderr.write(String(err && err.stack) + "\n");
		process.exit(1);
	}
);
