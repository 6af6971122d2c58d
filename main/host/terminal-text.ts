/**
 * Text on its way to a terminal. File names, server messages and arguments may hold anything a file system or a
 * server allows: a newline that forges a line of output, an escape sequence that clears or recolours the screen,
 * a bidi override that shows a name backwards. Every CLI printer writes its lines through here, so such characters
 * arrive escaped and visible (`\n`, `\x1b`, `\u202e`), and JSON output escapes the ones JSON itself lets through.
 */

/**
 * What a terminal may act on instead of showing: C0 controls and DEL, C1 controls (0x9b is a one-byte CSI), line
 * and paragraph separators, bidi controls (embeddings, overrides, isolates, marks) and lone surrogates.
 */
const UNSAFE = /[\p{Cc}\p{Zl}\p{Zp}\p{Bidi_Control}\p{Cs}]/gu;

/** Characters JSON.stringify leaves raw inside strings that a terminal may still act on. */
const JSON_UNSAFE = /[\u007f-\u009f\u2028\u2029\p{Bidi_Control}]/gu;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0');
}

function escapeOne(char: string): string {
  const named = NAMED[char];
  if (named) return named;
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`;
}

/** The text with every character a terminal could act on shown escaped; safe text comes back unchanged. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, escapeOne);
}

/** Writes one line: the text made terminal-safe (an embedded newline shows as `\n`), then the line end. */
export function writeLine(stream: NodeJS.WritableStream, text: string): void {
  stream.write(`${terminalSafe(text)}\n`);
}

/** Writes each text as its own terminal-safe line. */
export function writeLines(stream: NodeJS.WritableStream, lines: readonly string[]): void {
  if (lines.length > 0) stream.write(lines.map((line) => `${terminalSafe(line)}\n`).join(''));
}

/**
 * Exact JSON (it parses back to the same value) in which C1 controls, DEL, line separators and bidi controls are
 * written as `\uXXXX` too: JSON.stringify escapes only C0 controls, and those others can occur only inside strings.
 */
export function jsonText(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(
    JSON_UNSAFE,
    (char) => `\\u${hex(char.charCodeAt(0), 4)}`,
  );
}
