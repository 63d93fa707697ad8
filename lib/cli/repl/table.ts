import { stripAnsi } from "./style";

/**
 * A left-aligned text table with a header rule. Written here rather than taken
 * from cli-table3: the REPL needs plain columns only, and the width math must
 * ignore colour codes, which is ten lines.
 */
export function formatTable(header: string[], rows: string[][], style: { bold(text: string): string } = { bold: (t) => t }): string {
  const widths = header.map((h, col) => Math.max(visibleWidth(h), ...rows.map((row) => visibleWidth(row[col] ?? ""))));
  const line = (cells: string[]) =>
    cells
      .map((cell, col) => (col === cells.length - 1 ? cell : cell + " ".repeat(widths[col] - visibleWidth(cell))))
      .join("  ")
      .trimEnd();
  const out = [line(header.map((h) => style.bold(h))), widths.map((w) => "─".repeat(w)).join("  ")];
  for (const row of rows) out.push(line(header.map((_, col) => row[col] ?? "")));
  return out.join("\n");
}

function visibleWidth(text: string): number {
  return stripAnsi(text).length;
}
