/**
 * `GET /__sandbox/stats`: what tests need to prove behaviour from the server's side (one login for many calls,
 * no duplicate records, only the remainder fetched after a cut download).
 */
import { canonicalJson } from '../common/exact-json.ts';
import type { SandboxApp } from './app.ts';

export interface SandboxStats {
  /** Successful logins. */
  logins: number;
  /** Every HTTP request seen (API, storage and test endpoints). */
  requests: number;
  /**
   * API and storage requests (not the test endpoints) being served right now, from arrival to the end of the
   * answer (added latency included), and the most at once since the sandbox started.
   */
  inFlight: number;
  peakInFlight: number;
  /** Requests per matched route, e.g. `GET /v1/assets/:assetId`. */
  requestsByRoute: Record<string, number>;
  assets: number;
  assetsByStatus: Record<string, number>;
  /** Asset registrations beyond the first under the same name. */
  duplicateAssets: number;
  records: number;
  recordsByStatus: Record<string, number>;
  /** Batch id -> record status -> count. */
  recordsByBatch: Record<string, Record<string, number>>;
  /** Records beyond the first for the same asset in the same batch. */
  duplicateRecords: number;
  /** Imported records beyond the first with the same data and metadata in the same batch. */
  duplicateImportRecords: number;
  results: number;
  exports: number;
  /** Signed-URL PUTs received (including cut ones), completed, and cut by fault injection. */
  putsReceived: number;
  putsCompleted: number;
  putsCut: number;
  /** Bytes of the asset files currently stored. */
  bytesStored: number;
  etagsIssued: number;
  downloads: { requests: number; bytesServed: number; rangeRequests: number; cut: number };
  injected: { errors: number; rateLimits: number };
}

function bump(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}

/** A snapshot of the sandbox's counts. */
export function collectStats(app: SandboxApp): SandboxStats {
  const { state } = app;
  const c = state.counters;
  const assetsByStatus: Record<string, number> = {};
  let bytesStored = 0;
  for (const asset of state.assets.values()) {
    bump(assetsByStatus, asset.status);
    bytesStored += asset.file?.size ?? 0;
  }
  const recordsByStatus: Record<string, number> = {};
  const recordsByBatch: Record<string, Record<string, number>> = {};
  let duplicateRecords = 0;
  let duplicateImportRecords = 0;
  for (const [batchId, records] of state.recordsByBatch) {
    const byStatus: Record<string, number> = {};
    const seen = new Set<string>();
    const seenImports = new Set<string>();
    for (const record of records) {
      bump(byStatus, record.status);
      bump(recordsByStatus, record.status);
      if (record.assetId !== null) {
        if (seen.has(record.assetId)) duplicateRecords++;
        else seen.add(record.assetId);
      } else {
        const content = `${canonicalJson(record.data)}\u0000${record.metadata ?? '\u0001'}`;
        if (seenImports.has(content)) duplicateImportRecords++;
        else seenImports.add(content);
      }
    }
    recordsByBatch[batchId] = byStatus;
  }
  const duplicateAssets = Object.values(c.assetRegistrations).reduce((sum, n) => sum + Math.max(0, n - 1), 0);
  return {
    logins: c.logins,
    requests: c.requests,
    inFlight: c.inFlight,
    peakInFlight: c.peakInFlight,
    requestsByRoute: { ...c.requestsByRoute },
    assets: state.assets.size,
    assetsByStatus,
    duplicateAssets,
    records: state.records.size,
    recordsByStatus,
    recordsByBatch,
    duplicateRecords,
    duplicateImportRecords,
    results: state.results.size,
    exports: state.exports.size,
    putsReceived: c.putsReceived,
    putsCompleted: c.putsCompleted,
    putsCut: c.putsCut,
    bytesStored,
    etagsIssued: c.etagsIssued,
    downloads: {
      requests: c.downloadRequests,
      bytesServed: c.downloadBytesServed,
      rangeRequests: c.downloadRangeRequests,
      cut: c.downloadsCut,
    },
    injected: { errors: c.injectedErrors, rateLimits: c.injectedRateLimits },
  };
}
