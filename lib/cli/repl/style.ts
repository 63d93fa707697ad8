/** ANSI styles, applied only when the output is a terminal (or colours were asked for). */
export interface Style {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  magenta(text: string): string;
}

const CODES = { bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39], cyan: [36, 39], magenta: [35, 39] } as const;

export function createStyle(enabled: boolean): Style {
  const paint = (name: keyof typeof CODES) => {
    const [open, close] = CODES[name];
    return enabled ? (text: string) => `\x1b[${open}m${text}\x1b[${close}m` : (text: string) => text;
  };
  return {
    enabled,
    bold: paint("bold"),
    dim: paint("dim"),
    red: paint("red"),
    green: paint("green"),
    yellow: paint("yellow"),
    cyan: paint("cyan"),
    magenta: paint("magenta"),
  };
}

// eslint-disable-next-line no-control-regex -- matching the escape character is the point
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** Text as it shows on screen: escape sequences removed. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}
