import { execFileSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonText, terminalSafe, writeLine } from '../../../../main/host/terminal-text.ts';

/**
 * The rule written out code point by code point (not with the module's Unicode property classes): what a terminal
 * may act on instead of showing.
 */
function actsOnTerminal(codePoint: number): boolean {
  const bidi = [
    0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069,
  ];
  return (
    codePoint < 0x20 ||
    (codePoint >= 0x7f && codePoint <= 0x9f) ||
    codePoint === 0x2028 ||
    codePoint === 0x2029 ||
    (codePoint >= 0xd800 && codePoint <= 0xdfff) ||
    bidi.includes(codePoint)
  );
}

function unsafeIn(text: string): number[] {
  const found: number[] = [];
  // Walks UTF-16 units, so a lone surrogate counts as one unsafe unit and a valid pair as one safe code point.
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i) as number;
    if (code > 0xffff) {
      i++;
      continue;
    }
    if (actsOnTerminal(code)) found.push(code);
  }
  return found;
}

/** Strings rich in what terminals act on, mixed with ordinary text and astral characters. */
const hostile = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '\n',
        '\r',
        '\t',
        '\x1b',
        '\x07',
        '\x08',
        '\x7f',
        '\u009b',
        '\u0085',
        '\u202e',
        '\u2066',
      ),
      fc.constantFrom('\u2028', '\u061c', '\ud800', '\udfff', '😀', 'é', '\\', 'x1b', '[2J'),
      fc.string({ unit: 'binary', maxLength: 4 }),
      fc.string({ maxLength: 6 }),
    ),
    { maxLength: 20 },
  )
  .map((parts) => parts.join(''));

describe('terminalSafe', () => {
  it('leaves nothing a terminal acts on, and is the identity on what it returns', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const safe = terminalSafe(text);
        expect(unsafeIn(safe)).toEqual([]);
        expect(terminalSafe(safe)).toBe(safe);
      }),
      { seed: 7, numRuns: 2000 },
    );
  });

  it('changes nothing in text that holds nothing unsafe (names in any script, emoji, backslashes)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (text) => {
        fc.pre(unsafeIn(text).length === 0);
        expect(terminalSafe(text)).toBe(text);
      }),
      { seed: 11, numRuns: 2000 },
    );
  });

  it('shows each control visibly escaped', () => {
    expect(terminalSafe('a\nfailed  b\r.png')).toBe('a\\nfailed  b\\r.png');
    expect(terminalSafe('\x1b[2J\x1b[31mred\x07\x08')).toBe('\\x1b[2J\\x1b[31mred\\x07\\x08');
    expect(terminalSafe('c1\u009b31m')).toBe('c1\\x9b31m');
    expect(terminalSafe('\u202egnp.exe')).toBe('\\u202egnp.exe');
  });

  it('writes one line per call, however many newlines the text holds', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const out = new PassThrough();
        let written = '';
        out.on('data', (chunk: Buffer) => (written += chunk.toString()));
        writeLine(out, text);
        out.end();
        expect(written.endsWith('\n')).toBe(true);
        expect(written.split('\n')).toHaveLength(2);
      }),
      { seed: 13, numRuns: 500 },
    );
  });
});

describe('jsonText', () => {
  // Python's json module parses both texts: an independent reader (V8's JSON.parse in Node 24 can return a wrong
  // one-character key after an escaped one was parsed: '{"\\\\":1}' then '{"\\n":1}' gives the key "\\").
  it('is exact JSON that reads back as what JSON.stringify wrote, with nothing a terminal acts on', () => {
    const values = fc.sample(
      fc.array(fc.tuple(hostile, fc.oneof(hostile, fc.integer(), fc.array(hostile)))).map((entries) => ({
        entries,
        object: Object.fromEntries(entries),
      })),
      { seed: 17, numRuns: 1000 },
    );
    const lines: string[] = [];
    for (const value of values) {
      for (const indent of [undefined, 2]) {
        const text = jsonText(value, indent);
        // Pretty-printed JSON has its own newlines between members, never inside a string.
        expect(unsafeIn(text).filter((code) => code !== 0x0a)).toEqual([]);
        if (indent === undefined) expect(unsafeIn(text)).toEqual([]);
        lines.push(JSON.stringify(JSON.stringify(value)), JSON.stringify(text));
      }
    }
    const script = [
      'import json, sys',
      'rows = [json.loads(line) for line in sys.stdin]',
      'same = sum(json.loads(rows[i]) == json.loads(rows[i + 1]) for i in range(0, len(rows), 2))',
      'print(same, len(rows) // 2)',
    ].join('\n');
    const answer = execFileSync('python3', ['-c', script], { input: lines.join('\n'), encoding: 'utf8' });
    expect(answer.trim()).toBe(`${values.length * 2} ${values.length * 2}`);
  });
});
