/**
 * The engine's reasons (why a file failed or was left out, why the queue stopped) as plain sentences for the app.
 * The engine keeps its short prefixed wording ("vanished: …", "unreadable: …") because the CLI prints it and the
 * pipeline matches on the prefixes; the app shows a sentence a person can act on instead.
 */

type Rule = readonly [pattern: RegExp, sentence: (match: RegExpExecArray) => string];

/** Trailing remarks the engine adds to any reason, turned into a sentence of their own. */
const SUFFIXES: readonly Rule[] = [
  [/^(.+) \(gave up after (\d+) attempts\)$/s, (m) => `Gave up after ${m[2]} attempts.`],
  [/^(.+) \(listing stopped\)$/s, () => 'The rest of the folder was not listed.'],
];

/** Why a file could not be read: the engine's detail after "unreadable: ". */
const UNREADABLE: Readonly<Record<string, string>> = {
  'permission denied': "Can't read the file (permission denied).",
  'too many levels of symbolic links': "Can't read the file (too many levels of symbolic links).",
  'too many open files': "Can't read the file right now: too many files are open. Retry it later.",
  'input/output error': "Can't read the file: the disk reported an input/output error.",
};

const RULES: readonly Rule[] = [
  // Files that went away or cannot be read (main/uploads/intake/fs-errors.ts).
  [
    /^vanished: it is no longer a folder/,
    () => 'Folder not found: it was moved or replaced after it was added.',
  ],
  [/^vanished\b/, () => 'File not found: it was moved or deleted after it was added.'],
  [
    /^unreadable: the system refused to read it \((\w+)\)$/,
    (m) => `Can't read the file (system error ${m[1]}).`,
  ],
  [/^unreadable: (.+)$/s, (m) => UNREADABLE[m[1] ?? ''] ?? `Can't read the file (${m[1]}).`],
  [/^unreadable$/, () => "Can't read the file."],
  [/^not found$/, () => 'Not found: nothing exists at this path.'],
  // Intake checks (main/uploads/intake/classify.ts, walk.ts, probe-step.ts).
  [/^empty file$/, () => 'Empty file: there is nothing to upload.'],
  [/^over the size limit \((.+) > (.+)\)$/, (m) => `Too large to upload: ${m[1]}, and the limit is ${m[2]}.`],
  [/^type mismatch: (.+)$/s, (m) => `Wrong type for this workflow: ${m[1]}.`],
  [/^video probe failed: (.+)$/s, (m) => `Can't read the video's frame rate and length (${m[1]}).`],
  [/^unsupported file type \(no extension\)$/, () => 'Unsupported file type: the name has no extension.'],
  [/^unsupported file type \((.+)\)$/, (m) => `Unsupported file type (${m[1]}).`],
  [
    /^content is (.+) but the name ends in (\S+)$/,
    (m) => `The name ends in ${m[2]}, but the file is ${m[1]}.`,
  ],
  [
    /^the name ends in (\S+) but the content is not a recognized (.+) format$/,
    (m) => `The name ends in ${m[1]}, but the content is not a recognized ${m[2]} format.`,
  ],
  [
    /^not UTF-8 text \(it is UTF-16; save it as UTF-8\)$/,
    () => 'Not UTF-8 text: it is UTF-16. Save it as UTF-8.',
  ],
  [/^not text: it contains NUL bytes/, () => 'Not a text document: it contains binary content.'],
  [
    /^not valid UTF-8 text \(it ends inside a character\)$/,
    () => 'Not valid UTF-8 text: it ends mid-character.',
  ],
  [/^not valid UTF-8 text$/, () => 'Not valid UTF-8 text.'],
  [/^system (file|folder) \((.+)\)$/s, (m) => `Left out: a system ${m[1]} (${m[2]}).`],
  [/^hidden (file|folder)$/, (m) => `Left out: a hidden ${m[1]}.`],
  [/^symbolic link \(not followed\)$/, () => 'Left out: a symbolic link (links are not followed).'],
  [/^not a regular file \((.+)\)$/, (m) => `Left out: not a regular file (${m[1]}).`],
  [/^not a regular file$/, () => 'Left out: not a regular file.'],
  [/^already included in the folder (.+)$/s, (m) => `Already included in the folder ${m[1]}.`],
  [/^already uploaded$/, () => 'Already uploaded: the same file was sent to this workflow before.'],
  [
    /^identical content to (.+), uploaded once \(--skip-duplicate-content\)$/s,
    // The file uploaded instead by its name: the whole path is in the item's details.
    (m) =>
      `Identical to ${(m[1] ?? '').split(/[\\/]/).pop()}, which is uploaded instead (each content once).`,
  ],
  [
    /^held: the record limit of this upload is reached$/,
    () => 'Held: its upload reached its record limit. Raise or remove the limit in Transfers to send it.',
  ],
  [/^canceled$/, () => 'Canceled.'],
  // The file changed under the upload (probe-step.ts, upload-step.ts).
  [
    /^changed while uploading/,
    () => 'The file changed while it was uploading. Add it again to upload the new version.',
  ],
  [
    /^changed since it was queued/,
    () => 'The file changed after it was added. Add it again to upload the new version.',
  ],
  [
    /^integrity check failed/,
    () => "The upload arrived damaged: the storage's checksum does not match the file. Retry it.",
  ],
  [/^the journal lost the asset id$/, () => 'The upload lost track of its asset. Retry it.'],
  [/^rejected by the server: (.+)$/s, (m) => `Alegion rejected the record: ${ended(m[1] ?? '')}`],
  // The queue as a whole (failures.ts, queue-runner.ts) and the API client's errors (main/alegion/errors.ts).
  [/^API key rejected\b/, () => 'The API key was rejected. Check the key for this profile.'],
  [
    /^username or password rejected$/,
    () => 'The username or password was rejected. Check them in the profile.',
  ],
  [/^the disk is full\b/, () => 'The disk is full. Free some space, then resume.'],
  [/^the upload queue stopped: (.+)$/s, (m) => `The upload queue stopped. ${reasonText(m[1] ?? '')}`],
  [/^offline\b/, () => 'Offline: waiting for the network to come back.'],
  [/^paused$/, () => 'Paused.'],
  [/^cannot reach (.+)$/, (m) => `Can't reach ${m[1]}.`],
  [/^(\S+) did not answer within (\d+) s$/, (m) => `No answer from ${m[1]} within ${m[2]} seconds.`],
  [/^the storage link expired\b/, () => 'The upload link expired; a new one is needed.'],
  [/^the transfer was canceled$/, () => 'The transfer was canceled.'],
  [/^(.+): outcome unknown \((.+)\)$/s, (m) => `Unsure whether ${m[1]} went through (${m[2]}).`],
  [/^unexpected answer to (.+?): (.+)$/s, (m) => `Unexpected answer from Alegion to ${m[1]}: ${m[2]}`],
  [
    /^the API is rate limiting requests \(429\); (.+)$/,
    (m) => `Alegion is limiting how fast requests may arrive. ${sentence(m[1] ?? '')}`,
  ],
  [
    /^(the API|the storage) failed with HTTP (\d+) after (\d+) attempts?; try again later$/,
    (m) => `${m[1] === 'the API' ? "Alegion's API" : 'The storage'} failed (HTTP ${m[2]}). Try again later.`,
  ],
  [
    /^the API refused a freshly issued access token/,
    () => 'Alegion refused a fresh sign-in. Log in again or check the account.',
  ],
];

/** Ends the text with a full stop unless it already has an end mark. */
function ended(text: string): string {
  return /[.!?)]$/.test(text) ? text : `${text}.`;
}

/** Upper-cases the first letter and ends the text with a full stop. */
function sentence(text: string): string {
  return ended(text.charAt(0).toUpperCase() + text.slice(1));
}

/** The plain sentence for an engine reason; an unknown reason comes back with its first letter capitalised. */
export function reasonText(reason: string): string {
  const trimmed = reason.trim();
  for (const [pattern, write] of SUFFIXES) {
    const match = pattern.exec(trimmed);
    if (match) return `${reasonText(match[1] ?? '')} ${write(match)}`;
  }
  for (const [pattern, write] of RULES) {
    const match = pattern.exec(trimmed);
    if (match) return write(match);
  }
  return trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
}
