import { appendFileSync, readFileSync, writeFileSync } from "node:fs";

/**
 * The REPL's history file: one command a line, oldest first, trimmed to
 * `size` lines when the REPL starts. Appended line by line as commands run
 * (a person's pace), so a crash loses nothing.
 */
export class HistoryFile {
  private last: string | undefined;

  constructor(
    readonly path: string,
    private readonly size: number,
  ) {}

  /** Most recent first, as readline's `history` wants it. A missing file is an empty history. */
  load(): string[] {
    let lines: string[];
    try {
      lines = readFileSync(this.path, "utf8").split("\n").filter((l) => l.trim() !== "");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw err;
    }
    if (lines.length > this.size) {
      lines = lines.slice(-this.size);
      writeFileSync(this.path, lines.join("\n") + "\n", { mode: 0o600 });
    }
    this.last = lines[lines.length - 1];
    return lines.reverse();
  }

  append(line: string): void {
    if (line === "" || line === this.last) return;
    this.last = line;
    // 0600: commands can carry tokens and passwords as params.
    appendFileSync(this.path, line + "\n", { mode: 0o600 });
  }
}
