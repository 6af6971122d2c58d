/**
 * The shipped examples of fanning an upload out (a Kubernetes Indexed Job, a GitHub Actions matrix) hold together:
 * what the shards rely on is checked field by field, and the shard argument is the one the CLI accepts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseShard } from '../../../main/uploads/intake/shard.ts';

const ROOT = join(import.meta.dirname, '../../..');
const read = (path: string): unknown => parse(readFileSync(join(ROOT, path), 'utf8'));

interface Container {
  args: string[];
  volumeMounts: { name: string; mountPath: string }[];
}
interface Job {
  kind: string;
  spec: {
    completionMode: string;
    completions: number;
    parallelism: number;
    template: {
      spec: {
        containers: Container[];
        volumes: { name: string; persistentVolumeClaim?: unknown; ephemeral?: { volumeClaimTemplate: unknown } }[];
      };
    };
  };
}

const argAfter = (args: readonly string[], flag: string): string | undefined => args[args.indexOf(flag) + 1];

describe('docs/kubernetes/upload-job.yaml', () => {
  const job = read('docs/kubernetes/upload-job.yaml') as Job;
  const pod = job.spec.template.spec;
  const container = pod.containers[0] as Container;

  it('is an Indexed Job whose completions equal the shard count', () => {
    expect(job.kind).toBe('Job');
    expect(job.spec.completionMode).toBe('Indexed');
    const shard = argAfter(container.args, '--shard') ?? '';
    expect(shard).toMatch(/^auto\/\d+$/);
    const count = Number(shard.split('/')[1]);
    expect(job.spec.completions).toBe(count);
    // Every index the Job gives a pod is a shard the CLI accepts.
    for (let index = 0; index < count; index++)
      expect(parseShard(shard, { JOB_COMPLETION_INDEX: String(index) })).toEqual({ index, count });
  });

  it("keeps each pod's journal on a volume of its own, mounted where --state-dir points", () => {
    expect(container.args[0]).toBe('upload');
    expect(argAfter(container.args, '--batch')).toMatch(/^[0-9a-f-]{36}$/);
    const stateDir = argAfter(container.args, '--state-dir');
    const mount = container.volumeMounts.find((m) => m.mountPath === stateDir);
    expect(mount, `no volume mounted at ${stateDir}`).toBeDefined();
    const volume = pod.volumes.find((v) => v.name === mount?.name);
    // An ephemeral claim is made per pod; a shared claim would put every shard's journal in one place.
    expect(volume?.ephemeral?.volumeClaimTemplate).toBeDefined();
    expect(volume?.persistentVolumeClaim).toBeUndefined();
  });
});

describe('docs/github-actions/upload-matrix.yml', () => {
  const workflow = read('docs/github-actions/upload-matrix.yml') as {
    jobs: Record<string, { strategy?: { matrix: { shard: number[] } }; steps: { run?: string }[] }>;
  };
  const upload = workflow.jobs.upload;

  it('runs one job per shard, each with its shard of the same count, its own journal, and a merged verify', () => {
    const shards = upload?.strategy?.matrix.shard ?? [];
    const run = upload?.steps.find((step) => step.run?.includes(' upload '))?.run ?? '';
    const count = Number(/--shard \$\{\{ matrix\.shard \}\}\/(\d+)/.exec(run)?.[1]);
    expect(shards).toEqual(Array.from({ length: count }, (_, i) => i));
    expect(run).toContain('--batch "${{ needs.batch.outputs.id }}"');
    expect(run).toContain('--state-dir state');
    const verify = workflow.jobs.verify?.steps.map((step) => step.run ?? '').join('\n') ?? '';
    expect(verify).toMatch(/alegion-uploader manifest [^\n]*\$dirs/);
    expect(verify).toMatch(/alegion-uploader verify [^\n]*\$dirs/);
  });
});
