#!/usr/bin/env node
/*
 * A real Moleculer node for the interop suites, run as a child process so that
 * SIGTERM/SIGKILL are real. Plain CommonJS; configured by environment:
 *
 *   PEER_TRANSPORTER   e.g. nats://127.0.0.1:4222 or redis://127.0.0.1:6379, or {type, options} as JSON (required)
 *   PEER_SERIALIZER    JSON (default) | MsgPack
 *   PEER_NAMESPACE     broker namespace (required)
 *   PEER_NODE_ID       nodeID (required)
 *   PEER_MOLECULER     package to load: moleculer (default) | moleculer-015
 *   PEER_DISABLE_VERSION_CHECK  "1" → transit.disableVersionCheck: true
 *   PEER_ROLE          full (default) | minimal (only a `victim` service)
 *   PEER_WIRE_LOG      commands whose incoming packets are printed ({"kind":"wire-in"}), e.g. "RES";
 *                      JSON serializer only (the suites read `headers` Moleculer's caller ignores)
 *   PEER_HEARTBEAT_TIMEOUT  seconds (default 3)
 *   PEER_LOG_LEVEL     Moleculer log level (default "warn"; warnings go to stderr)
 *   PEER_MAX_LIFETIME_MS  hard exit after this long (default 120000)
 *
 * Everything the test asserts on is a JSON line on stdout ({"kind": …}).
 * `READY` is printed 1.5 s after start (Moleculer debounces its INFO).
 * Commands arrive as JSON lines on stdin: {"cmd":"call"|"emit"|"broadcast"|"ping"|"streamCall"|"streamDownload", "id", …};
 * `streamCall` sends a request stream (`size` bytes, `items` in object mode, or failing after
 * `failBefore` bytes); `streamDownload` reads a response stream (sha256, or the items with `objectMode`).
 * each gets a {"kind":"reply","id",…} line. When stdin closes (the test process
 * died) or on SIGTERM, the broker stops gracefully and the process exits.
 */
"use strict";
/* eslint-disable @typescript-eslint/no-var-requires -- plain CommonJS, run by `node` */

const readline = require("node:readline");
const { createHash } = require("node:crypto");
const { Readable } = require("node:stream");

const env = process.env;
const pkgName = env.PEER_MOLECULER || "moleculer";
const { ServiceBroker, Errors } = require(pkgName);
const { MoleculerClientError, ValidationError } = Errors;

function out(obj) {
	process.stdout.write(JSON.stringify(obj) + "\n");
}

function required(name) {
	const value = env[name];
	if (!value) {
		process.stderr.write(`moleculer-peer: ${name} is required\n`);
		process.exit(2);
	}
	return value;
}

function plainError(err) {
	return {
		name: err && err.name,
		message: err && err.message,
		code: err && err.code,
		type: err && err.type,
		data: err && err.data,
		nodeID: err && err.nodeID,
		retryable: err && err.retryable,
		isMoleculerError: err instanceof Errors.MoleculerError,
		isValidationError: err instanceof ValidationError,
		className: err && err.constructor ? err.constructor.name : null
	};
}

function eventReporter(handler) {
	return function (ctx) {
		out({
			kind: "event",
			handler,
			event: ctx.eventName,
			data: ctx.params,
			sender: ctx.nodeID,
			eventType: ctx.eventType,
			groups: ctx.eventGroups == null ? null : ctx.eventGroups,
			meta: ctx.meta,
			// 0.15 only (0.14 has no ctx.headers)
			headers: ctx.headers
		});
	};
}

/** A middleware printing the incoming packets of the listed commands, decoded as JSON. */
function wireLog(list) {
	const cmds = new Set((list || "").split(",").filter(Boolean));
	if (cmds.size === 0) return [];
	return [
		{
			name: "WireLog",
			transporterReceive(next) {
				return (cmd, data, s) => {
					if (cmds.has(cmd)) {
						try {
							out({ kind: "wire-in", cmd, packet: JSON.parse(data.toString()) });
						} catch (err) {
							out({ kind: "wire-in", cmd, error: String(err) });
						}
					}
					return next(cmd, data, s);
				};
			}
		}
	];
}

/** A URL, or `{type, options}` as JSON (TCP needs its urls and UDP settings). */
function transporterSpec(value) {
	return value.startsWith("{") ? JSON.parse(value) : value;
}

const nodeID = required("PEER_NODE_ID");
const role = env.PEER_ROLE || "full";

const broker = new ServiceBroker({
	nodeID,
	namespace: required("PEER_NAMESPACE"),
	transporter: transporterSpec(required("PEER_TRANSPORTER")),
	serializer: env.PEER_SERIALIZER || "JSON",
	requestTimeout: 5000,
	heartbeatInterval: 1,
	heartbeatTimeout: Number(env.PEER_HEARTBEAT_TIMEOUT || 3),
	transit: { disableVersionCheck: env.PEER_DISABLE_VERSION_CHECK === "1" },
	middlewares: wireLog(env.PEER_WIRE_LOG),
	// The peer's own SIGTERM handler stops the broker (Moleculer's would race it).
	skipProcessEventRegistration: true,
	logger: { type: "Console", options: { level: env.PEER_LOG_LEVEL || "warn", colors: false } }
});

// Watches the cluster (both roles). On the local bus, not in a service: a node
// discovered during the connect phase raises $node.connected before any
// service has started, and a service handler would miss it.
broker.localBus.on("$node.connected", payload => {
	out({ kind: "node.connected", nodeID: payload.node.id, reconnected: payload.reconnected });
});
broker.localBus.on("$node.disconnected", payload => {
	out({ kind: "node.disconnected", nodeID: payload.node.id, unexpected: payload.unexpected });
});

if (role === "minimal") {
	broker.createService({
		name: "victim",
		actions: {
			ping() {
				return "pong";
			},
			async slow(ctx) {
				await new Promise(resolve => setTimeout(resolve, ctx.params.ms));
				return "slow done";
			}
		}
	});
} else {
	broker.createService({
		name: "math",
		actions: {
			add: {
				params: { a: "number", b: "number" },
				handler(ctx) {
					return ctx.params.a + ctx.params.b;
				}
			}
		}
	});

	broker.createService({
		name: "peer",
		actions: {
			teapot() {
				throw new MoleculerClientError("bad", 418, "TEAPOT", { x: 1 });
			},
			meta(ctx) {
				ctx.meta.peerSaw = true;
				return ctx.meta;
			},
			// 0.15: returns the call's headers and answers with response headers.
			headers(ctx) {
				ctx.responseHeaders = { fromPeer: true };
				return { headers: ctx.headers };
			},
			async slow(ctx) {
				const ms = typeof ctx.params.ms === "number" ? ctx.params.ms : 1000;
				await new Promise(resolve => setTimeout(resolve, ms));
				return "slow done";
			},
			async callNuc(ctx) {
				const res = await ctx.call("nuc.echo", ctx.params, { meta: { fromPeer: true } });
				return { res, meta: ctx.meta, level: ctx.level };
			}
		}
	});

	// `test.evt` in two groups: grpA has two services (one of them runs per emit), grpB one.
	for (const [name, group] of [["listenA1", "grpA"], ["listenA2", "grpA"], ["listenB", "grpB"]]) {
		broker.createService({
			name,
			events: {
				"test.evt": { group, handler: eventReporter(name) }
			}
		});
	}
}

// ── streams ──
// 0.14 (protocol 4) passes a request stream as the params; 0.15 (protocol 5) as the call option `stream`.
const streamsV5 = ServiceBroker.PROTOCOL_VERSION === "5";

/** The same deterministic bytes as spec/support/stream-data.ts (xorshift32), so both sides know the sha256. */
function byteSource(size, chunkSize = 64 * 1024) {
	let offset = 0;
	let state = 0x9e3779b9;
	return new Readable({
		read() {
			if (offset >= size) return void this.push(null);
			const n = Math.min(chunkSize, size - offset);
			const buf = Buffer.allocUnsafe(n);
			for (let i = 0; i < n; i++) {
				state ^= state << 13;
				state ^= state >>> 17;
				state ^= state << 5;
				buf[i] = state & 0xff;
			}
			offset += n;
			this.push(buf);
		}
	});
}

function failingSource(before, message) {
	async function* chunks() {
		for await (const chunk of byteSource(before)) yield chunk;
		throw new Error(message);
	}
	return Readable.from(chunks(), { objectMode: false });
}

async function digestOf(stream) {
	const hash = createHash("sha256");
	let bytes = 0;
	for await (const chunk of stream) {
		hash.update(chunk);
		bytes += chunk.length;
	}
	return { sha256: hash.digest("hex"), bytes };
}

async function collectOf(stream) {
	const items = [];
	for await (const item of stream) items.push(item);
	return items;
}

if (role === "full") {
	broker.createService({
		name: "pstream",
		actions: {
			async save(ctx) {
				const digest = await digestOf(streamsV5 ? ctx.stream : ctx.params);
				return Object.assign(digest, { params: streamsV5 ? ctx.params : null });
			},
			saveObjects(ctx) {
				return collectOf(streamsV5 ? ctx.stream : ctx.params);
			},
			download(ctx) {
				return byteSource(ctx.params.size);
			},
			downloadObjects(ctx) {
				return Readable.from(Array.from({ length: ctx.params.count }, (_, i) => ({ i, text: `peer item ${i}` })));
			},
			downloadFailing(ctx) {
				return failingSource(ctx.params.before, "peer source broke");
			}
		}
	});
}

/** The request stream a `streamCall` command describes. */
function commandStream(msg) {
	if (Array.isArray(msg.items)) return Readable.from(msg.items);
	if (typeof msg.failBefore === "number") return failingSource(msg.failBefore, "peer caller source broke");
	return byteSource(msg.size);
}

async function runCommand(msg) {
	const options = msg.opts || {};
	switch (msg.cmd) {
		case "call": {
			const meta = Object.assign({}, options.meta);
			const data = await broker.call(msg.action, msg.params, Object.assign({}, options, { meta }));
			// Response headers are not read by Moleculer's caller: the suites check them with PEER_WIRE_LOG.
			// Moleculer merges the response meta into the options' meta object.
			return { data, meta };
		}
		case "emit":
			await broker.emit(msg.event, msg.data, options);
			return {};
		case "broadcast":
			await broker.broadcast(msg.event, msg.data, options);
			return {};
		case "ping":
			return { data: await broker.ping(msg.nodeID, 2000) };
		case "streamCall": {
			const stream = commandStream(msg);
			const data = streamsV5
				? await broker.call(msg.action, msg.params, Object.assign({}, options, { stream }))
				: await broker.call(msg.action, stream, options);
			return { data };
		}
		case "streamDownload": {
			const stream = await broker.call(msg.action, msg.params, options);
			return { data: msg.objectMode ? await collectOf(stream) : await digestOf(stream) };
		}
		default:
			throw new Error(`unknown command '${msg.cmd}'`);
	}
}

function onCommandLine(line) {
	if (!line.trim()) return;
	let msg;
	try {
		msg = JSON.parse(line);
	} catch (err) {
		out({ kind: "bad-command", line, error: String(err) });
		return;
	}
	runCommand(msg).then(
		res => out(Object.assign({ kind: "reply", id: msg.id, ok: true }, res)),
		err => {
			const error = plainError(err);
			// The nucleon → Moleculer error check (d) reads this line.
			out({ kind: "reply", id: msg.id, ok: false, error });
		}
	);
}

let stopping = false;
async function shutdown(reason, code) {
	if (stopping) return;
	stopping = true;
	out({ kind: "stopping", reason });
	try {
		await broker.stop();
		out({ kind: "stopped" });
	} catch (err) {
		process.stderr.write(`moleculer-peer: stop failed: ${err && err.stack}\n`);
	}
	process.exit(code);
}

process.on("SIGTERM", () => void shutdown("SIGTERM", 0));
process.on("SIGINT", () => void shutdown("SIGINT", 0));

const lifetime = Number(env.PEER_MAX_LIFETIME_MS || 120000);
setTimeout(() => void shutdown("max lifetime", 3), lifetime).unref();

broker
	.start()
	.then(() => {
		out({
			kind: "started",
			nodeID,
			moleculer: ServiceBroker.MOLECULER_VERSION,
			protocol: ServiceBroker.PROTOCOL_VERSION
		});
		const rl = readline.createInterface({ input: process.stdin });
		rl.on("line", onCommandLine);
		rl.on("close", () => void shutdown("stdin closed", 0));
		setTimeout(() => process.stdout.write("READY\n"), 1500);
	})
	.catch(err => {
		process.stderr.write(`moleculer-peer: start failed: ${err && err.stack}\n`);
		process.exit(1);
	});
