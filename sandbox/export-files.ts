/**
 * Writes export files: a zip with one directory per record result (`<asset-name>.json` and the asset file), or a
 * JSON array of results, gzipped when the filename ends in `.gz`. Files stream from disk; nothing is buffered
 * whole except one result's JSON at a time.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { ZipFile } from 'yazl';
import type { SandboxApp } from './app.ts';
import { recordView } from './routes/records.ts';
import { resultView } from './routes/results.ts';
import type { AssetEntity, ExportEntity, ResultEntity } from './state.ts';
import { assetFilePath } from './storage.ts';

/** One record result as an export holds it: the listing fields plus its input record, asset and annotation. */
function exportedResult(app: SandboxApp, result: ResultEntity): Record<string, unknown> {
  const record = app.state.records.get(result.inputRecordId);
  const asset = record?.assetId ? app.state.assets.get(record.assetId) : undefined;
  return {
    ...resultView(result),
    inputRecord: record ? recordView(app, record) : null,
    asset: asset
      ? { id: asset.id, name: asset.name, fileName: asset.fileName, type: asset.type, status: asset.status }
      : null,
    resultData: result.resultData,
  };
}

/** A file-system safe version of an asset name (no path separators, no leading dots). */
function safeName(name: string): string {
  const cleaned = name.replace(/[/\\\0]/g, '_').replace(/^\.+/, '_');
  return cleaned === '' ? '_' : cleaned;
}

/** `<asset-name>` and the asset file's name inside a result directory. */
export function entryNames(
  asset: AssetEntity | undefined,
  recordId: string,
): { json: string; file: string | null } {
  if (!asset) return { json: `${recordId}.json`, file: null };
  const base = safeName(asset.name ?? asset.fileName ?? asset.id);
  const extension = extname(asset.fileName ?? '');
  // Names that already end in the file's extension are not given it twice.
  const file =
    extension !== '' && !base.toLowerCase().endsWith(extension.toLowerCase()) ? `${base}${extension}` : base;
  return { json: `${base}.json`, file };
}

function hashing(onDone: (md5: string, size: number) => void): Transform {
  const md5 = createHash('md5');
  let size = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      md5.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
    flush(callback) {
      onDone(md5.digest('hex'), size);
      callback();
    },
  });
}

async function* jsonArray(app: SandboxApp, results: ResultEntity[]): AsyncGenerator<string> {
  yield '[';
  for (let i = 0; i < results.length; i++) {
    yield `${i === 0 ? '' : ','}\n${JSON.stringify(exportedResult(app, results[i] as ResultEntity))}`;
  }
  yield '\n]\n';
}

function zipOf(app: SandboxApp, results: ResultEntity[]): Readable {
  const zip = new ZipFile();
  for (const result of results) {
    const record = app.state.records.get(result.inputRecordId);
    const asset = record?.assetId ? app.state.assets.get(record.assetId) : undefined;
    const names = entryNames(asset, result.inputRecordId);
    const json = Buffer.from(JSON.stringify(exportedResult(app, result), null, 2));
    zip.addBuffer(json, `${result.id}/${names.json}`);
    const path = asset ? assetFilePath(app, asset.id) : null;
    if (names.file !== null && path !== null && asset?.file && existsSync(path)) {
      // Media is compressed already: deflating it again costs CPU on both ends and saves next to nothing.
      zip.addFile(path, `${result.id}/${names.file}`, { compress: false });
    }
  }
  zip.end();
  return zip.outputStream as Readable;
}

/** Writes the export's file to `target` and records its size and MD5 on the entity. */
export async function writeExportFile(
  app: SandboxApp,
  entity: ExportEntity,
  results: ResultEntity[],
  target: string,
): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  let file: { size: number; md5: string } | null = null;
  const hash = hashing((md5, size) => (file = { md5, size }));
  if (entity.fileType === 'zip') {
    await pipeline(zipOf(app, results), hash, createWriteStream(target));
  } else if (entity.filename.endsWith('.gz')) {
    await pipeline(Readable.from(jsonArray(app, results)), createGzip(), hash, createWriteStream(target));
  } else {
    await pipeline(Readable.from(jsonArray(app, results)), hash, createWriteStream(target));
  }
  entity.file = file;
}
