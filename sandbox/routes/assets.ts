/**
 * Assets: register, look up, list, delete, and the upload session (open gives a signed PUT URL, close moves the
 * asset on to preprocessing, or to `upload-error` when no file arrived). With an external storage the URL is its
 * link, and what arrived is asked of it.
 */
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { CreateAssetRequest } from '../../common/alegion.ts';
import type { Route, SandboxApp } from '../app.ts';
import { HttpError, notFound, readJson, sendEmpty, sendJson, validate } from '../http.ts';
import { paginate } from '../pagination.ts';
import { signUrl } from '../signing.ts';
import type { AssetEntity } from '../state.ts';
import { nextSeq } from '../state.ts';
import { ASSET_STORAGE_PREFIX, assetFilePath } from '../storage.ts';

/** Milliseconds an asset spends in each preprocessing status after its session is closed. */
const PREPROCESSING_STEP_MS = 100;

/** The asset as the API shows it. */
function assetView(asset: AssetEntity): Record<string, unknown> {
  return {
    id: asset.id,
    name: asset.name,
    tenantReference: asset.tenantReference,
    fileName: asset.fileName,
    fps: asset.fps,
    frameCount: asset.frameCount,
    status: asset.status,
    source: asset.source,
    type: asset.type,
    createdAt: asset.createdAt,
    errorMessage: asset.errorMessage,
    preprocessingProgress: asset.status === 'uploaded' ? 100 : 0,
    originalUrl: asset.url,
    originalFileName: asset.fileName,
  };
}

function findAsset(app: SandboxApp, id: string): AssetEntity {
  const asset = app.state.assets.get(id);
  if (!asset) throw notFound('Asset', id);
  return asset;
}

function startPreprocessing(app: SandboxApp, asset: AssetEntity): void {
  asset.status = 'pending-preprocessing';
  app.later(PREPROCESSING_STEP_MS, () => {
    if (asset.status !== 'pending-preprocessing') return;
    asset.status = 'preprocessing';
    app.later(PREPROCESSING_STEP_MS, () => {
      if (asset.status === 'preprocessing') asset.status = 'uploaded';
    });
  });
}

/** Asset routes. */
export const assetRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/assets',
    auth: 'token',
    handler: async ({ app, req, res }) => {
      const body = validate(CreateAssetRequest, await readJson(req));
      const source = body.source ?? 'file';
      if (source === 'file' && !body.fileName) {
        throw new HttpError(422, 'Validation failed: fileName: required when source is file');
      }
      const asset: AssetEntity = {
        seq: nextSeq(app.state),
        id: randomUUID(),
        name: body.name ?? body.fileName ?? null,
        fileName: body.fileName ?? null,
        fps: body.fps ?? null,
        frameCount: body.frameCount ?? null,
        type: body.type,
        source,
        tenantReference: body.tenantReference ?? null,
        url: body.url ?? null,
        status: 'uploading',
        errorMessage: null,
        createdAt: new Date().toISOString(),
        file: null,
      };
      app.state.assets.set(asset.id, asset);
      const registrations = app.state.counters.assetRegistrations;
      const key = asset.name ?? '';
      registrations[key] = (registrations[key] ?? 0) + 1;
      sendJson(res, 201, assetView(asset));
    },
  },
  {
    method: 'GET',
    path: '/v1/assets',
    auth: 'token',
    handler: ({ app, req, res, url }) => {
      const query = url.searchParams;
      const name = query.get('name');
      const type = query.get('type');
      const sourceUrl = query.get('url');
      const statuses = (query.get('statuses') ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      const matching = [...app.state.assets.values()].filter(
        (asset) =>
          (name === null || asset.name === name) &&
          (type === null || asset.type === type) &&
          (sourceUrl === null || asset.url === sourceUrl) &&
          (statuses.length === 0 || statuses.includes(asset.status)),
      );
      const direction = query.get('sortDirection');
      const descending = direction === null ? undefined : direction.toLowerCase() !== 'asc';
      const page = paginate(req, url, matching, { descending });
      sendJson(res, 200, page.items.map(assetView), page.headers);
    },
  },
  {
    method: 'GET',
    path: '/v1/assets/:assetId',
    auth: 'token',
    handler: ({ app, res, params }) => {
      sendJson(res, 200, assetView(findAsset(app, params.assetId ?? '')));
    },
  },
  {
    method: 'DELETE',
    path: '/v1/assets/:assetId',
    auth: 'token',
    handler: async ({ app, res, params }) => {
      const asset = findAsset(app, params.assetId ?? '');
      app.state.assets.delete(asset.id);
      await rm(assetFilePath(app, asset.id), { force: true });
      sendEmpty(res, 204);
    },
  },
  {
    method: 'POST',
    path: '/v1/assets/:assetId/upload',
    auth: 'token',
    handler: async ({ app, res, params }) => {
      const asset = findAsset(app, params.assetId ?? '');
      if (asset.status !== 'uploading' && asset.status !== 'upload-error') {
        throw new HttpError(409, `Asset ${asset.id} is already uploaded (status ${asset.status})`);
      }
      asset.status = 'uploading';
      asset.errorMessage = null;
      const external = app.options.externalStorage?.uploads;
      const url = external
        ? await external.uploadUrl({ id: asset.id, fileName: asset.fileName }, app.options.signedUrlTtl)
        : signUrl(
            app.signingKey,
            app.origin,
            'PUT',
            `${ASSET_STORAGE_PREFIX}${asset.id}`,
            app.options.signedUrlTtl,
          );
      sendJson(res, 200, { url });
    },
  },
  {
    method: 'DELETE',
    path: '/v1/assets/:assetId/upload',
    auth: 'token',
    handler: async ({ app, res, params }) => {
      const asset = findAsset(app, params.assetId ?? '');
      const external = app.options.externalStorage?.uploads;
      if (external && asset.status === 'uploading') asset.file = await external.storedFile(asset.id);
      if (asset.status === 'uploading') {
        if (asset.file) {
          startPreprocessing(app, asset);
        } else {
          asset.status = 'upload-error';
          asset.errorMessage = 'The upload session was closed before a file was uploaded';
        }
      }
      sendEmpty(res, 204);
    },
  },
];
