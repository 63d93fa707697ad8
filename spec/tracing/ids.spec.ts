import { randomUUID } from "node:crypto";
import { callerSpanIdOf, spanIdOf, traceIdOf } from "nucleon";

describe("id mapping (Moleculer ids ↔ OTel ids)", () => {
  it("takes a UUID's first 16 hex digits, as Moleculer's Zipkin exporter does", () => {
    const id = "3f2a9c1e-77b0-4d2e-9a11-0c5e8f6d4b21";
    expect(spanIdOf(id)).toBe("3f2a9c1e77b04d2e");
    expect(traceIdOf(id)).toBe("00000000000000003f2a9c1e77b04d2e");
  });

  it("is deterministic and round-trips: the span id of a context is its parent link in a child", () => {
    for (let i = 0; i < 100; i++) {
      const id = randomUUID();
      expect(spanIdOf(id)).toBe(spanIdOf(id));
      expect(spanIdOf(id)).toBe(id.replace(/-/g, "").slice(0, 16));
      expect(traceIdOf(id).slice(16)).toBe(spanIdOf(id));
      expect(spanIdOf(id)).toMatch(/^[0-9a-f]{16}$/);
    }
  });

  it("hashes ids that are not hex (a requestID from an HTTP header) to valid, stable ids", () => {
    const a = spanIdOf("req-from-header-1");
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(a).not.toBe("0000000000000000");
    expect(spanIdOf("req-from-header-1")).toBe(a);
    expect(spanIdOf("req-from-header-2")).not.toBe(a);
    expect(traceIdOf("x")).toMatch(/^0{16}[0-9a-f]{16}$/);
    expect(spanIdOf("00000000-0000-0000-0000-000000000000")).not.toBe("0000000000000000");
  });

  it("gives the caller side of a remote call its own id, distinct from the responder's", () => {
    const id = randomUUID();
    expect(callerSpanIdOf(id)).toMatch(/^[0-9a-f]{16}$/);
    expect(callerSpanIdOf(id)).not.toBe(spanIdOf(id));
    expect(callerSpanIdOf(id)).toBe(callerSpanIdOf(id));
  });
});
