/**
 * Every reason the engine writes for a failed or skipped file, or a stopped queue, reads as a plain sentence in
 * the app. Where the engine has a function that produces the reason, the test calls it, so a change of the
 * engine's wording that the app no longer recognises fails here.
 */
import { describe, expect, it } from 'vitest';
import {
  ApiKeyRejectedError,
  BadResponseError,
  CanceledError,
  LoginRejectedError,
  NetworkError,
  OutcomeUnknownError,
  RateLimitedError,
  RequestTimeoutError,
  ServerError,
  SignedUrlExpiredError,
  UnauthorizedError,
} from '../../../main/alegion/errors.ts';
import { HELD_REASON } from '../../../common/api.ts';
import { identicalReason } from '../../../main/uploads/intake/content-dedupe.ts';
import { classifyFailure } from '../../../main/uploads/queue/failures.ts';
import { checkKindFits } from '../../../main/uploads/intake/classify.ts';
import { describeFsError } from '../../../main/uploads/intake/fs-errors.ts';
import { skipReasonForName } from '../../../main/uploads/intake/walk.ts';
import { reasonText } from '../../../renderer/reason-text.ts';

const withCode = (code: string): Error => Object.assign(new Error(`${code}: boom`), { code });

/** The engine's reason, and the sentence the app shows. */
const CASES: [string, string][] = [
  [describeFsError(withCode('ENOENT')), 'File not found: it was moved or deleted after it was added.'],
  [describeFsError(withCode('ENOTDIR')), 'Folder not found: it was moved or replaced after it was added.'],
  [describeFsError(withCode('EACCES')), "Can't read the file (permission denied)."],
  [describeFsError(withCode('EPERM')), "Can't read the file (permission denied)."],
  [describeFsError(withCode('ELOOP')), "Can't read the file (too many levels of symbolic links)."],
  [
    describeFsError(withCode('EMFILE')),
    "Can't read the file right now: too many files are open. Retry it later.",
  ],
  [describeFsError(withCode('EIO')), "Can't read the file: the disk reported an input/output error."],
  [describeFsError(withCode('EBUSY')), "Can't read the file (another program has it locked)."],
  [describeFsError(withCode('EISDIR')), "Can't read the file (it is a folder, not a file)."],
  [describeFsError(withCode('ENAMETOOLONG')), "Can't read the file (its path is too long)."],
  [describeFsError(withCode('ETIMEDOUT')), "Can't read the file (the network drive did not answer)."],
  [describeFsError(withCode('EXDEV')), "Can't read the file (system error EXDEV)."],
  [
    `${describeFsError(withCode('EACCES'))} (listing stopped)`,
    "Can't read the file (permission denied). The rest of the folder was not listed.",
  ],
  ['not found', 'Not found: nothing exists at this path.'],
  ['empty file', 'Empty file: there is nothing to upload.'],
  ['over the size limit (6.2 GB > 5.0 GB)', 'Too large to upload: 6.2 GB, and the limit is 5.0 GB.'],
  [
    `type mismatch: ${checkKindFits('video', 'image')}`,
    'Wrong type for this workflow: a video does not fit this workflow, which takes images.',
  ],
  ['video probe failed: no video track', "Can't read the video's frame rate and length (no video track)."],
  ['unsupported file type (.bin)', 'Unsupported file type (.bin).'],
  ['unsupported file type (no extension)', 'Unsupported file type: the name has no extension.'],
  ['content is a PNG image but the name ends in .jpg', 'The name ends in .jpg, but the file is a PNG image.'],
  [
    'the name ends in .png but the content is not a recognized image format',
    'The name ends in .png, but the content is not a recognized image format.',
  ],
  ['not UTF-8 text (it is UTF-16; save it as UTF-8)', 'Not UTF-8 text: it is UTF-16. Save it as UTF-8.'],
  ['not text: it contains NUL bytes (binary content)', 'Not a text document: it contains binary content.'],
  ['not valid UTF-8 text', 'Not valid UTF-8 text.'],
  ['not valid UTF-8 text (it ends inside a character)', 'Not valid UTF-8 text: it ends mid-character.'],
  [skipReasonForName('.DS_Store', false) ?? '', 'Left out: a system file (.DS_Store).'],
  [skipReasonForName('.hidden', false) ?? '', 'Left out: a hidden file.'],
  [skipReasonForName('.cache', true) ?? '', 'Left out: a hidden folder.'],
  [
    skipReasonForName('._photo.jpg', false) ?? '',
    'Left out: a system file (._photo.jpg, macOS AppleDouble metadata).',
  ],
  ['symbolic link (not followed)', 'Left out: a symbolic link (links are not followed).'],
  ['not a regular file (named pipe)', 'Left out: not a regular file (named pipe).'],
  ['not a regular file', 'Left out: not a regular file.'],
  ['already included in the folder /data/shelf', 'Already included in the folder /data/shelf.'],
  ['already uploaded', 'Already uploaded: the same file was sent to this workflow before.'],
  [
    identicalReason('/data/shots/a/cat.png'),
    'Identical to cat.png, which is uploaded instead (each content once).',
  ],
  [
    HELD_REASON,
    'Held: its upload reached its record limit. Raise or remove the limit in Transfers to send it.',
  ],
  ['canceled', 'Canceled.'],
  [
    'changed since it was queued (size or modification time differs); add it again to upload the new version',
    'The file changed after it was added. Add it again to upload the new version.',
  ],
  [
    'changed since it was queued (its content differs)',
    'The file changed after it was added. Add it again to upload the new version.',
  ],
  [
    'changed while uploading (its size differs from when it was queued)',
    'The file changed while it was uploading. Add it again to upload the new version.',
  ],
  [
    "integrity check failed: the storage ETag abc is not the file's MD5 def",
    "The upload arrived damaged: the storage's checksum does not match the file. Retry it.",
  ],
  ['the journal lost the asset id', 'The upload lost track of its asset. Retry it.'],
  ['rejected by the server: metadata too large', 'Alegion rejected the record: metadata too large.'],
  [new ApiKeyRejectedError().message, 'The API key was rejected. Check the key for this profile.'],
  [new LoginRejectedError().message, 'The username or password was rejected. Check them in the profile.'],
  [
    classifyFailure(Object.assign(new Error('full'), { code: 'ENOSPC' })).message,
    'The disk is full. Free some space, then resume.',
  ],
  ['the disk is full: free some space, then resume', 'The disk is full. Free some space, then resume.'],
  [
    'the upload queue stopped: the disk is full: free some space, then resume',
    'The upload queue stopped. The disk is full. Free some space, then resume.',
  ],
  ['offline: waiting for the network to come back', 'Offline: waiting for the network to come back.'],
  ['paused', 'Paused.'],
  [new NetworkError('api.alegion.com').message, "Can't reach api.alegion.com."],
  [
    new RequestTimeoutError('api.alegion.com', 30_000).message,
    'No answer from api.alegion.com within 30 seconds.',
  ],
  [new SignedUrlExpiredError().message, 'The upload link expired; a new one is needed.'],
  [new CanceledError().message, 'The transfer was canceled.'],
  [
    new OutcomeUnknownError('create asset').message,
    'Unsure whether create asset went through (the connection failed after the request was sent).',
  ],
  [
    new BadResponseError('create asset', 'no id').message,
    'Unexpected answer from Alegion to create asset: no id',
  ],
  [new RateLimitedError().message, 'Alegion is limiting how fast requests may arrive. Try again later.'],
  [new RateLimitedError(30).message, 'Alegion is limiting how fast requests may arrive. Try again in 30 s.'],
  [new ServerError(503, 3).message, "Alegion's API failed (HTTP 503). Try again later."],
  [new ServerError(500, 1, 'the storage').message, 'The storage failed (HTTP 500). Try again later.'],
  [new UnauthorizedError().message, 'Alegion refused a fresh sign-in. Log in again or check the account.'],
  [
    `${new NetworkError('storage.local').message} (gave up after 5 attempts)`,
    "Can't reach storage.local. Gave up after 5 attempts.",
  ],
];

describe('reasonText', () => {
  it.each(CASES)('%s → %s', (reason, expected) => {
    expect(reasonText(reason)).toBe(expected);
  });

  it('never shows the engine prefixes', () => {
    for (const [reason] of CASES) {
      expect(reasonText(reason)).not.toMatch(/^(vanished|unreadable|type mismatch|empty file)\b/);
      expect(reasonText(reason)).toMatch(/^[A-Z0-9a-z'"]/);
    }
  });

  it('leaves its own sentences as they are (a reason shown twice reads the same)', () => {
    for (const [reason] of CASES) expect(reasonText(reasonText(reason))).toBe(reasonText(reason));
  });

  it('capitalises the first letter of a reason it does not know and keeps the rest', () => {
    expect(reasonText('batch 42 not found')).toBe('Batch 42 not found');
    expect(reasonText('  odd thing: detail ')).toBe('Odd thing: detail');
    expect(reasonText('')).toBe('');
  });
});
