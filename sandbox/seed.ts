/**
 * The workflows every sandbox starts with. Their ids are stable, so tests, docs and the app's "Try the sandbox"
 * profile can name them.
 */
import type { MediaKind } from '../common/alegion.ts';

/** What a workflow's labelers annotate: an asset of a media kind, or plain JSON input records. */
export type WorkflowKind = MediaKind | 'records';

export interface SeedWorkflow {
  id: string;
  name: string;
  description: string;
  kind: WorkflowKind;
  /** The one workflow stage every record of this workflow sits in. */
  stageId: string;
  createdAt: string;
}

/** Stable ids of the seeded workflows. */
export const SANDBOX_WORKFLOWS = {
  image: '5f0c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a01',
  video: '5f0c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a02',
  text: '5f0c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a03',
  records: '5f0c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a04',
} as const satisfies Record<WorkflowKind, string>;

/** The user id the sandbox reports as `createdBy`. */
export const SANDBOX_USER_ID = 'e01fbbea-6cdd-4b25-9e4e-8e0cfda75b5f';

/** The seeded workflows, oldest first. */
export const SEED_WORKFLOWS: readonly SeedWorkflow[] = [
  {
    id: SANDBOX_WORKFLOWS.image,
    name: 'Sandbox image boxes',
    description: 'Draw a bounding box around every vehicle, person and sign in the image.',
    kind: 'image',
    stageId: '6a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c01',
    createdAt: '2024-01-08T09:00:00.000Z',
  },
  {
    id: SANDBOX_WORKFLOWS.video,
    name: 'Sandbox video tracking',
    description: 'Track every vehicle and person through the video, frame by frame.',
    kind: 'video',
    stageId: '6a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c02',
    createdAt: '2024-01-08T09:01:00.000Z',
  },
  {
    id: SANDBOX_WORKFLOWS.text,
    name: 'Sandbox NER',
    description: 'Mark every person, organization and location named in the document.',
    kind: 'text',
    stageId: '6a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c03',
    createdAt: '2024-01-08T09:02:00.000Z',
  },
  {
    id: SANDBOX_WORKFLOWS.records,
    name: 'Sandbox general records',
    description: 'Answer a question about each JSON input record (no asset).',
    kind: 'records',
    stageId: '6a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c04',
    createdAt: '2024-01-08T09:03:00.000Z',
  },
];
