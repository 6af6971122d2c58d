/** The results endpoints and the exports of results: listings filtered by batch and time, export jobs and their download link. */
import { CreateExportRequest, RecordResult, RecordResultExport } from '../../common/alegion.ts';
import type { PageQuery, ResultQuery } from '../../common/alegion.ts';
import { BadResponseError } from './errors.ts';
import { exportRef, batchRef, seg, workflowRef } from './client-core.ts';
import type { ClientCore, Query } from './client-core.ts';
import { headerOf } from './http.ts';
import type { AlegionClient } from './types.ts';

/** The results endpoints and the exports of results: listings filtered by batch and time, export jobs and their download link. */
export function resultMethods(
  core: ClientCore,
): Pick<
  AlegionClient,
  'listWorkflowResults' | 'listBatchResults' | 'createExport' | 'getExport' | 'getExportDownloadUrl'
> {
  const { call, parse, validated, listing, url } = core;
  const resultFilters = (query: ResultQuery & PageQuery = {}): Query & PageQuery => ({
    page: query.page,
    pageSize: query.pageSize,
    sort: query.sort,
    batchIds: query.batchIds,
    minCreatedAt: query.minCreatedAt,
    maxCreatedAt: query.maxCreatedAt,
  });
  return {
    listWorkflowResults(workflowId, query = {}) {
      return listing(
        RecordResult,
        `/exports/workflows/${seg(workflowId)}/results`,
        resultFilters(query),
        'listWorkflowResults',
        workflowRef(workflowId),
        [workflowId, ...(query.batchIds ?? [])],
      );
    },
    listBatchResults(batchId, query = {}) {
      return listing(
        RecordResult,
        `/batches/${seg(batchId)}/results`,
        resultFilters(query),
        'listBatchResults',
        batchRef(batchId),
        [batchId],
      );
    },

    async createExport(request) {
      const body = validated(CreateExportRequest, request, 'createExport');
      const response = await call({
        method: 'POST',
        path: '/exports/record-result-exports',
        json: body,
        kind: 'create',
        operation: 'createExport',
        notFound: workflowRef(body.workflowId),
        ids: [body.workflowId, ...(body.batchIds ?? [])],
      });
      return parse(RecordResultExport, response, 'createExport');
    },
    async getExport(exportId) {
      const response = await call({
        method: 'GET',
        path: `/exports/record-result-exports/${seg(exportId)}`,
        operation: 'getExport',
        notFound: exportRef(exportId),
        ids: [exportId],
      });
      return parse(RecordResultExport, response, 'getExport');
    },
    async getExportDownloadUrl(exportId) {
      const path = `/exports/record-result-exports/${seg(exportId)}/download`;
      const response = await call({
        method: 'GET',
        path,
        operation: 'getExportDownloadUrl',
        notFound: exportRef(exportId),
        ids: [exportId],
        passStatuses: [301, 302, 303, 307, 308],
      });
      const location = headerOf(response, 'location');
      if (!location) {
        throw new BadResponseError(
          'getExportDownloadUrl',
          'no Location header (is the export ready?)',
          response.status,
        );
      }
      return new URL(location, url(path)).href;
    },
  };
}
