/**
 * Python's csv and json modules as the independent reading of a records file: what the file holds according to
 * them, in the shape the uploader's reader gives (records of `data` and `metadata`, numbers as their source text).
 */
import { spawnSync } from 'node:child_process';
import { isExactNumber } from '../../common/exact-json.ts';

/** Why Python cannot be used here, or null when python3 runs. */
export const pythonMissing: string | null = (() => {
  const probe = spawnSync('python3', ['--version'], { encoding: 'utf8' });
  return probe.error || probe.status !== 0
    ? `python3 is not available (${probe.error?.message ?? probe.stderr})`
    : null;
})();

/** A number written as `{"$num": "<its source text>"}`, so two readings can be compared digit for digit. */
type NumbersAsText = unknown;

/** One file for Python to read: format, Python codec, and CSV separator. */
export interface PythonRead {
  path: string;
  format: 'csv' | 'jsonl' | 'json';
  codec: string;
  delimiter?: string;
}

/** What Python made of a file: the records, or the byte offset where decoding failed. */
export type PythonResult = { records: NumbersAsText[] } | { decodeError: { start: number; line: number } };

const SCRIPT = String.raw`
import csv, json, sys

def num(text):
    return {"$num": text}

def read(spec):
    path, fmt, codec = spec["path"], spec["format"], spec["codec"]
    raw = open(path, "rb").read()
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError as error:
        return {"decodeError": {"start": error.start, "line": raw[: error.start].count(b"\n") + 1}}
    if fmt == "csv":
        import io
        rows = [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=spec["delimiter"]) if row != []]
        header = [name.strip() for name in rows[0]]
        records = []
        for row in rows[1:]:
            data, metadata = {}, None
            for name, cell in zip(header, row):
                if name == "metadata":
                    metadata = cell if cell != "" else None
                else:
                    data[name] = cell
            records.append({"data": data} if metadata is None else {"data": data, "metadata": metadata})
        return {"records": records}
    load = lambda s: json.loads(s, parse_int=num, parse_float=num)
    if fmt == "json":
        return {"records": load(text)}
    # JSON lines split on \n only: str.splitlines() would also split on U+2028.
    return {"records": [load(line) for line in text.split("\n") if line.strip() != ""]}

specs = json.load(sys.stdin)
json.dump([read(spec) for spec in specs], sys.stdout, ensure_ascii=False)
`;

/** Reads the files with Python's csv and json modules. */
export function readWithPython(specs: readonly PythonRead[]): PythonResult[] {
  const run = spawnSync('python3', ['-c', SCRIPT], {
    input: JSON.stringify(specs),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`python3 failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as PythonResult[];
}

/** The uploader's values with every number as its source text (exact numbers keep theirs). */
export function numbersAsText(value: unknown): NumbersAsText {
  if (typeof value === 'number' || isExactNumber(value)) return { $num: JSON.stringify(value) };
  if (Array.isArray(value)) return value.map(numbersAsText);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, numbersAsText(inner)]));
  return value;
}
