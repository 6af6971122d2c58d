/**
 * The sandbox's data: every entity lives in memory (maps), files live on disk under the data dir. Every entity
 * carries a creation sequence number so that listings sort stably even when two share a millisecond.
 */
import type { AssetStatus, RecordStatus } from '../common/alegion.ts';
import { SEED_WORKFLOWS } from './seed.ts';
import type { SeedWorkflow } from './seed.ts';

export interface AssetEntity {
  seq: number;
  id: string;
  name: string | null;
  fileName: string | null;
  fps: number | null;
  frameCount: number | null;
  type: string;
  source: string;
  tenantReference: string | null;
  url: string | null;
  status: AssetStatus;
  errorMessage: string | null;
  createdAt: string;
  /** Size and quoted-free MD5 of the stored file, once a PUT completed. */
  file: { size: number; md5: string } | null;
}

export interface BatchEntity {
  seq: number;
  id: string;
  name: string;
  workflowId: string;
  priority: string;
  isEnabled: boolean;
  createdAt: string;
}

export interface RecordEntity {
  seq: number;
  id: string;
  batchId: string;
  workflowId: string;
  assetId: string | null;
  data: unknown;
  metadata: string | null;
  status: RecordStatus;
  createdAt: string;
  /** When the labelers move this task on next (epoch ms), while it is being worked. */
  nextAt: number | null;
  /** The task's planned outcome, drawn once from the seed. */
  plan: 'complete' | 'exception-cancel' | 'exception-restart' | 'exception-unresolved' | null;
  restarted: boolean;
}

export interface ResultEntity {
  seq: number;
  id: string;
  workflowId: string;
  batchId: string;
  inputRecordId: string;
  createdAt: string;
  createdAtMs: number;
  iteration: number;
  resultData: unknown;
}

export interface ExportEntity {
  seq: number;
  id: string;
  status: 'in-progress' | 'ready' | 'downloaded' | 'failed';
  filename: string;
  fileType: 'zip' | 'json';
  recordResultCount: number;
  workflowId: string;
  createdAt: string;
  /** Size and MD5 of the generated file, once ready. */
  file: { size: number; md5: string } | null;
}

/** Counters behind `GET /__sandbox/stats` that are not derived from the entities. */
interface Counters {
  logins: number;
  requests: number;
  /** API and storage requests being served right now, and the most at once since the sandbox started. */
  inFlight: number;
  peakInFlight: number;
  requestsByRoute: Record<string, number>;
  putsReceived: number;
  putsCompleted: number;
  putsCut: number;
  etagsIssued: number;
  downloadRequests: number;
  downloadBytesServed: number;
  downloadRangeRequests: number;
  downloadsCut: number;
  injectedErrors: number;
  injectedRateLimits: number;
  assetRegistrations: Record<string, number>;
}

/** All entities of one sandbox. */
export interface SandboxState {
  workflows: Map<string, SeedWorkflow>;
  assets: Map<string, AssetEntity>;
  batches: Map<string, BatchEntity>;
  records: Map<string, RecordEntity>;
  /** Record ids per batch, in creation order. */
  recordsByBatch: Map<string, RecordEntity[]>;
  results: Map<string, ResultEntity>;
  exports: Map<string, ExportEntity>;
  /** Access token -> expiry (epoch ms). */
  tokens: Map<string, number>;
  counters: Counters;
  nextSeq: number;
}

/** A fresh state holding only the seeded workflows. */
export function createState(): SandboxState {
  return {
    workflows: new Map(SEED_WORKFLOWS.map((workflow) => [workflow.id, workflow])),
    assets: new Map(),
    batches: new Map(),
    records: new Map(),
    recordsByBatch: new Map(),
    results: new Map(),
    exports: new Map(),
    tokens: new Map(),
    counters: {
      logins: 0,
      requests: 0,
      inFlight: 0,
      peakInFlight: 0,
      requestsByRoute: {},
      putsReceived: 0,
      putsCompleted: 0,
      putsCut: 0,
      etagsIssued: 0,
      downloadRequests: 0,
      downloadBytesServed: 0,
      downloadRangeRequests: 0,
      downloadsCut: 0,
      injectedErrors: 0,
      injectedRateLimits: 0,
      assetRegistrations: {},
    },
    nextSeq: 1,
  };
}

/** The next creation sequence number. */
export function nextSeq(state: SandboxState): number {
  return state.nextSeq++;
}
