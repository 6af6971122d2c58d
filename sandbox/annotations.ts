/**
 * Plausible annotation JSON for a completed task: boxes for images, a frames structure (result format 2.0) for
 * video, entity spans for NER documents, answers for general records.
 */
import { randomUUID } from 'node:crypto';
import type { Random } from './random.ts';
import { pick, randomInt } from './random.ts';
import type { WorkflowKind } from './seed.ts';
import type { AssetEntity } from './state.ts';

const IMAGE_LABELS = ['car', 'truck', 'person', 'bicycle', 'traffic-sign'] as const;
const VIDEO_LABELS = ['car', 'person'] as const;
const NER_LABELS = ['PERSON', 'ORG', 'LOC'] as const;

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function imageAnnotation(random: Random): unknown {
  const width = 1920;
  const height = 1080;
  const boxes = Array.from({ length: randomInt(random, 1, 4) }, () => {
    const w = randomInt(random, 40, 400);
    const h = randomInt(random, 40, 300);
    return {
      id: randomUUID(),
      label: pick(random, IMAGE_LABELS),
      x: randomInt(random, 0, width - w),
      y: randomInt(random, 0, height - h),
      width: w,
      height: h,
      confidence: round(0.6 + random() * 0.4),
    };
  });
  return { imageWidth: width, imageHeight: height, boxes };
}

function videoAnnotation(random: Random, asset: AssetEntity | undefined): unknown {
  const fps = asset?.fps ?? 25;
  const frameCount = Math.min(asset?.frameCount ?? 50, 50);
  const entities = Array.from({ length: randomInt(random, 1, 3) }, (_, index) => ({
    id: randomUUID(),
    type: pick(random, VIDEO_LABELS),
    index,
    x: randomInt(random, 0, 1500),
    y: randomInt(random, 0, 800),
  }));
  const frames = Array.from({ length: Math.max(1, Math.ceil(frameCount / 10)) }, (_, step) => ({
    frameNumber: step * 10,
    entities: entities.map((entity) => ({
      id: entity.id,
      type: entity.type,
      box: { x: entity.x + step * 4, y: entity.y + step * 2, width: 120, height: 90 },
    })),
  }));
  return {
    fps: String(fps),
    url: asset
      ? `https://cdn.sandbox.invalid/tenant-assets/sandbox/${asset.id}_${asset.fileName ?? 'video'}`
      : null,
    s3ReferenceKey: asset ? `tenant-assets/sandbox/${asset.id}` : null,
    videoAnnotationId: randomUUID(),
    manifest: {
      annotationTool: 'sandbox-video-tool',
      resultFormat: '2.0',
      annotatedAt: new Date().toISOString(),
      entityTypes: [...VIDEO_LABELS],
      entityHierarchy: {},
    },
    frames,
  };
}

function textAnnotation(random: Random, asset: AssetEntity | undefined): unknown {
  const length = Math.max(20, asset?.file?.size ?? 200);
  let cursor = 0;
  const spans: { start: number; end: number; label: string }[] = [];
  const count = randomInt(random, 1, 5);
  for (let i = 0; i < count && cursor < length - 10; i++) {
    const start = randomInt(random, cursor, Math.min(length - 10, cursor + Math.floor(length / count)));
    const end = Math.min(length, start + randomInt(random, 3, 12));
    spans.push({ start, end, label: pick(random, NER_LABELS) });
    cursor = end + 1;
  }
  return { spans };
}

function recordAnnotation(random: Random): unknown {
  return { answers: { relevant: random() < 0.7, quality: randomInt(random, 1, 5) } };
}

/** The annotation of one completed task. */
export function annotationFor(kind: WorkflowKind, asset: AssetEntity | undefined, random: Random): unknown {
  const type = asset?.type ?? kind;
  if (type === 'image') return imageAnnotation(random);
  if (type === 'video') return videoAnnotation(random, asset);
  if (type === 'text') return textAnnotation(random, asset);
  return recordAnnotation(random);
}
