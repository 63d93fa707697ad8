/**
 * Realistic packet payloads (protocol §3) for the serializer suites. Each is
 * something Moleculer's own serializers can encode too (no `undefined` inside
 * arrays: msgpack5 refuses those), so they double as cross-check fixtures.
 */
export type Packet = Record<string, unknown>;

const uuid = "3f0c4a1e-8f7a-4a51-9d6e-2b7a6a0b1c11";

export const PACKETS: Record<string, Packet> = {
  DISCOVER: { ver: "4", sender: "node-1" },

  "REQ with params, meta and fractional timeout": {
    ver: "4",
    sender: "node-1",
    id: uuid,
    action: "v2.greeter.hello",
    params: { name: "John", age: 42, tags: ["a", "b"], address: { city: "Budapest", zip: null } },
    meta: { user: { id: 5, roles: ["admin"] }, $locale: "hu" },
    timeout: 1499.797993,
    level: 2,
    tracing: null,
    parentID: "9a1b2c3d-0000-4000-8000-000000000001",
    requestID: uuid,
    caller: "v1.gateway",
    stream: false,
  },

  "RES with data": {
    ver: "4",
    sender: "node-2",
    id: uuid,
    success: true,
    data: { rows: [{ id: 1, title: "First" }, { id: 2, title: "Second" }], total: 2, page: 1.5 },
    meta: { cached: false },
  },

  "RES with data absent (handler returned undefined)": {
    ver: "4",
    sender: "node-2",
    id: uuid,
    success: true,
    data: undefined,
    meta: {},
  },

  "RES with error": {
    ver: "4",
    sender: "node-2",
    id: uuid,
    success: false,
    data: null,
    error: {
      name: "ValidationError",
      message: "Parameters validation error!",
      nodeID: "node-2",
      code: 422,
      type: "VALIDATION_ERROR",
      retryable: false,
      stack: "ValidationError: Parameters validation error!\n    at Validator.check (/app/validator.js:10:5)",
      data: [{ type: "required", field: "name", message: "The 'name' field is required.", actual: undefined }],
    },
    meta: {},
  },

  INFO: {
    ver: "4",
    sender: "node-a",
    services: [
      {
        name: "greeter",
        version: 2,
        fullName: "v2.greeter",
        settings: { pub: 1 },
        metadata: {},
        actions: {
          "v2.greeter.hello": { params: { name: "string" }, rawName: "hello", name: "v2.greeter.hello", cache: false },
        },
        events: { "user.*": { group: "other", name: "user.*" } },
      },
      { name: "$node", fullName: "$node", settings: {}, metadata: {}, actions: {}, events: {} },
    ],
    ipList: ["192.0.2.2", "198.51.100.7"],
    hostname: "vm",
    client: { type: "nodejs", version: "0.14.36", langVersion: "v20.20.2" },
    config: {},
    instanceID: "9714321c-6b0e-4f1a-9f5e-1d2c3b4a5f60",
    metadata: { region: "eu-1" },
    seq: 2,
  },

  EVENT: {
    ver: "4",
    sender: "node-1",
    id: "0b6f3c2a-1d4e-4f50-8a9b-7c6d5e4f3a21",
    event: "user.created",
    data: { id: 7, email: "a@example.com" },
    groups: ["mail", "audit"],
    broadcast: false,
    meta: {},
    level: 1,
    tracing: null,
    parentID: null,
    requestID: uuid,
    caller: null,
    needAck: null,
  },

  HEARTBEAT: { ver: "4", sender: "node-1", cpu: 13 },

  // Times are past 2^32: msgpack5 sends them as uint64.
  PING: { ver: "4", sender: "node-1", time: 1_732_000_000_123, id: uuid },
  PONG: { ver: "4", sender: "node-2", time: 1_732_000_000_123, id: uuid, arrived: 1_732_000_000_130 },

  DISCONNECT: { ver: "4", sender: "node-1" },

  "stream REQ with a Buffer chunk": {
    ver: "4",
    sender: "node-1",
    id: uuid,
    action: "files.upload",
    params: Buffer.from([0, 1, 2, 253, 254, 255]),
    meta: {},
    timeout: null,
    level: 1,
    stream: true,
    seq: 3,
  },

  "Buffers nested and empty": {
    ver: "4",
    sender: "node-1",
    data: {
      file: { name: "a.bin", content: Buffer.from("héllo", "utf8") },
      empty: Buffer.alloc(0),
      list: [Buffer.from([7])],
    },
  },

  "deeply nested objects": {
    ver: "4",
    sender: "node-1",
    data: { a: { b: { c: { d: { e: { f: [1, [2, [3, [4, { g: "deep" }]]]] } } } } } },
  },

  unicode: {
    ver: "4",
    sender: "nóde-ü",
    data: {
      greeting: "Hello, 世界! Привет, мир! 👋🏽",
      combining: "e\u0301 vs é",
      "ключ-🔑": "value",
      rtl: "مرحبا",
      escapes: 'quote " backslash \\ newline \n tab \t nul \u0000',
    },
  },

  "integers across the safe range": {
    ver: "4",
    sender: "node-1",
    data: {
      zero: 0,
      small: 127,
      byte: 255,
      int16: 65_535,
      int31: 2 ** 31,
      uint32: 2 ** 32 - 1,
      past32: 2 ** 32,
      int40: 2 ** 40 + 1,
      maxSafe: Number.MAX_SAFE_INTEGER,
      neg: -1,
      neg8: -129,
      neg32: -(2 ** 31) - 1,
      minSafe: Number.MIN_SAFE_INTEGER,
    },
  },

  floats: {
    ver: "4",
    sender: "node-1",
    data: { half: 1.5, tenth: 0.1, tiny: 1e-7, neg: -2.75, huge: 1.7976931348623157e308, pi: Math.PI },
  },

  // JSON sends ISO strings; MsgPack the timestamp extension −1 in its 32/64/96-bit forms.
  Dates: {
    ver: "4",
    sender: "node-1",
    meta: {
      withMillis: new Date(1_700_000_000_123),
      wholeSecond: new Date(1_700_000_000_000),
      before1970: new Date(-86_400_123),
      after2106: new Date(Date.UTC(2200, 0, 1, 0, 0, 0, 5)),
    },
  },

  "null vs absent fields": {
    ver: "4",
    sender: "node-1",
    id: uuid,
    tracing: null,
    parentID: null,
    caller: undefined,
    meta: { kept: null, dropped: undefined },
  },

  "sizes past the fix/8-bit formats": {
    ver: "4",
    sender: "node-1",
    data: {
      str8: "x".repeat(200),
      str16: "y".repeat(70_000),
      bin16: Buffer.alloc(300, 1),
      array16: Array.from({ length: 20 }, (_, i) => i),
      map16: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i])),
    },
  },
};

/** Drops `undefined` object values recursively, as msgpack5 and JSON do; keeps Buffers/Dates. */
export function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : withoutUndefined(item)));
  if (value === null || typeof value !== "object" || Buffer.isBuffer(value) || value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (item !== undefined) out[key] = withoutUndefined(item);
  return out;
}

/** What a JSON trip makes of a value (Buffers → `{type,data}`, Dates → ISO strings). */
export function throughJSON(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}
