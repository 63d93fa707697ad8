import { homedir } from "node:os";
import { join } from "node:path";
import { start as startReplServer, type REPLServer } from "node:repl";
import { clearScreenDown, cursorTo } from "node:readline";
import type { ServiceBroker } from "../../broker";
import { NucleonError } from "../../errors";
import { parseArgs, ReplInputError, tokenize } from "./args";
import { COMMANDS, findCommand, type Printer, type ReplContext } from "./commands";
import { createCompleter } from "./completer";
import { HistoryFile } from "./history";
import { createEventListeners } from "./listeners";
import type { ReplHandle, ReplOptions } from "./options";
import { createStyle } from "./style";

const CLEAR_LINE = "\r\x1b[K";

/** One line, whatever was thrown: `ServiceNotFoundError: Service 'x' is not found.` */
export function describeError(err: unknown): string {
  if (err instanceof ReplInputError) return err.message;
  if (err instanceof Error) {
    const code = err instanceof NucleonError && err.type ? ` [${err.type}]` : "";
    return `${err.name}: ${err.message.split("\n")[0]}${code}`;
  }
  return `Thrown: ${String(err)}`;
}

/**
 * A `node:repl` server whose eval parses commands instead of running
 * JavaScript. Commands run one at a time, in order, even when several lines
 * arrive at once (pasted, or piped in).
 */
export function createSession(broker: ServiceBroker, options: ReplOptions): ReplHandle {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const isTTY = (output as { isTTY?: boolean }).isTTY === true;
  const terminal = options.terminal ?? isTTY;
  const style = createStyle(options.colors ?? isTTY);
  const historySize = options.historySize ?? 1000;
  const historyPath = options.historyFile === undefined ? join(homedir(), ".nucleon_repl_history") : options.historyFile;
  const history = historyPath === false ? null : new HistoryFile(historyPath, historySize);

  let busy = 0;
  let progressShown = false;
  const write = (text: string) => {
    if (progressShown && terminal) output.write(CLEAR_LINE);
    progressShown = false;
    output.write(text);
  };
  const out: Printer = {
    style,
    isTTY: terminal,
    line: (text = "") => write(text + "\n"),
    error: (message) => write(style.red(`✖ ${message}`) + "\n"),
    progress(text) {
      if (!terminal) return out.line(text);
      output.write(CLEAR_LINE + text);
      progressShown = true;
    },
    notify(text) {
      if (!terminal || busy > 0) return out.line(text);
      output.write(CLEAR_LINE + text + "\n");
      server.displayPrompt(true);
    },
    clearScreen() {
      if (!terminal) return;
      cursorTo(output, 0, 0);
      clearScreenDown(output);
    },
  };

  const listeners = createEventListeners(broker, out);
  const ctx: ReplContext = { broker, out, cwd: options.cwd ?? process.cwd(), listeners, commands: COMMANDS, exit: () => server.close() };
  const complete = createCompleter(broker, COMMANDS, listeners);

  const execute = async (line: string): Promise<void> => {
    const trimmed = line.trim();
    if (trimmed === "") return;
    history?.append(trimmed);
    try {
      const [name, ...rest] = tokenize(trimmed);
      const command = findCommand(COMMANDS, name);
      if (!command) throw new ReplInputError(`Unknown command '${name}'. Type 'help' for the list.`);
      await command.run(parseArgs(rest, command.parse), ctx);
    } catch (err) {
      out.error(describeError(err));
    }
  };

  let queue = Promise.resolve();
  const evalCommand = (cmd: string, _context: unknown, _file: string, callback: (err: Error | null, result?: unknown) => void) => {
    busy++;
    queue = queue.then(() => execute(cmd)).finally(() => {
      busy--;
      callback(null);
    });
  };

  const server: REPLServer = startReplServer({
    prompt: options.prompt ?? "nucleon $ ",
    input,
    output,
    terminal,
    eval: evalCommand,
    completer: (line: string, callback: (err: Error | null, result: [string[], string]) => void) => {
      complete(line).then(
        (result) => callback(null, result),
        () => callback(null, [[], line]),
      );
    },
    ignoreUndefined: true,
    preview: false,
    // Passed on to readline (whose default keeps 30 lines); missing from @types/node's ReplOptions.
    ...{ historySize },
  });
  if (history) {
    // readline keeps `history` most recent first; it is only used on a terminal (up arrow).
    (server as unknown as { history: string[] }).history.push(...history.load());
  }

  const closed = new Promise<void>((resolve) => {
    // Input can end (Ctrl-D, a pipe) with commands still queued: they finish first.
    server.once("exit", () => {
      void queue.then(() => {
        listeners.close();
        resolve();
      });
    });
  });

  return {
    closed,
    close() {
      server.close();
      return closed;
    },
    complete,
  };
}
