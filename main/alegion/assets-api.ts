/** The assets endpoints: register, look up, list, delete, and the upload session around the signed-URL PUT. */
import { Asset, CreateAssetRequest, UploadSession } from '../../common/alegion.ts';
import { assetRef, seg } from './client-core.ts';
import type { ClientCore } from './client-core.ts';
import { createSignedUrlPut } from './signed-url.ts';
import type { AlegionClient } from './types.ts';

/** The assets endpoints: register, look up, list, delete, and the upload session around the signed-URL PUT. */
export function assetMethods(
  core: ClientCore,
): Pick<
  AlegionClient,
  | 'createAsset'
  | 'getAsset'
  | 'listAssets'
  | 'deleteAsset'
  | 'openUploadSession'
  | 'putSignedUrl'
  | 'closeUploadSession'
> {
  const { call, parse, validated, listing, agent, timeoutMs } = core;
  return {
    async createAsset(request) {
      const body = validated(CreateAssetRequest, request, 'createAsset');
      const response = await call({
        method: 'POST',
        path: '/assets',
        json: body,
        kind: 'create',
        operation: 'createAsset',
      });
      return parse(Asset, response, 'createAsset');
    },
    async getAsset(assetId) {
      const response = await call({
        method: 'GET',
        path: `/assets/${seg(assetId)}`,
        operation: 'getAsset',
        notFound: assetRef(assetId),
        ids: [assetId],
      });
      return parse(Asset, response, 'getAsset');
    },
    listAssets(query = {}) {
      const { name, type, statuses, ...paging } = query;
      return listing(Asset, '/assets', { ...paging, name, type, statuses }, 'listAssets', undefined);
    },
    async deleteAsset(assetId) {
      await call({
        method: 'DELETE',
        path: `/assets/${seg(assetId)}`,
        operation: 'deleteAsset',
        notFound: assetRef(assetId),
        ids: [assetId],
      });
    },
    async openUploadSession(assetId) {
      // Safe to repeat: each call only opens (another) upload session for the same asset.
      const response = await call({
        method: 'POST',
        path: `/assets/${seg(assetId)}/upload`,
        operation: 'openUploadSession',
        notFound: assetRef(assetId),
        ids: [assetId],
      });
      return parse(UploadSession, response, 'openUploadSession');
    },
    putSignedUrl: createSignedUrlPut({ agent, timeoutMs }),
    async closeUploadSession(assetId) {
      await call({
        method: 'DELETE',
        path: `/assets/${seg(assetId)}/upload`,
        operation: 'closeUploadSession',
        notFound: assetRef(assetId),
        ids: [assetId],
      });
    },
  };
}
