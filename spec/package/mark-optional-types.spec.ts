import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { markOptionalTypes } from "../../scripts/mark-optional-types";

const MARK = "// @ts-ignore optional peer: typed when installed";

describe("scripts/mark-optional-types (declarations that name optional peers)", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "mark-types-"));
    mkdirSync(join(dir, "sub"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("marks every line naming an optional peer (import, subpath, import type query), and nothing else, once", () => {
    const source = [
      'import type * as PromClient from "prom-client";',
      'import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";',
      "import type {",
      "  A,",
      '} from "@opentelemetry/api";',
      'import { Other } from "tsyringe";',
      "export declare class X {",
      '    readonly r: import("prom-client").Registry;',
      "    /** see `@opentelemetry/api` and from prom-client */",
      "}",
    ].join("\n");
    writeFileSync(join(dir, "sub", "x.d.ts"), source);
    writeFileSync(join(dir, "x.js"), 'require("prom-client");');
    const peers = ["prom-client", "@opentelemetry/api", "@opentelemetry/sdk-trace-base"];
    expect(markOptionalTypes(dir, peers)).toBe(4);
    const lines = readFileSync(join(dir, "sub", "x.d.ts"), "utf8").split("\n");
    const markedNext = lines.flatMap((line, i) => (line.trim() === MARK ? [lines[i + 1]] : []));
    expect(markedNext).toEqual([
      'import type * as PromClient from "prom-client";',
      'import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";',
      '} from "@opentelemetry/api";',
      '    readonly r: import("prom-client").Registry;',
    ]);
    expect(lines[lines.indexOf('    readonly r: import("prom-client").Registry;') - 1]).toBe(`    ${MARK}`);
    // .js files are left alone, and a second run changes nothing.
    expect(readFileSync(join(dir, "x.js"), "utf8")).toBe('require("prom-client");');
    expect(markOptionalTypes(dir, peers)).toBe(0);
  });
});
