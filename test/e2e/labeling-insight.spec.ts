/**
 * What a labeling lead watches while a batch is worked, through the headless host: the labeling rate and the
 * finish estimate in the batch view (only once enough records are labeled), and the alert on a spike of
 * exceptions.
 */
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { SANDBOX_WORKFLOWS } from '../../sandbox/seed.ts';
import { sandboxAuthHeaders } from '../support/sandbox.ts';
import type { E2eHost } from './support/host.ts';
import { createImageBatch } from './support/intake.ts';
import { useSandboxSession } from './support/session.ts';
import { checkAtEverySize } from './support/screens.ts';

let host: E2eHost;
let page: Page;

useSandboxSession((session) => ({ host, page } = session));

/** Imports `count` plain records into the image workflow's batch named `name` (the labelers' work). */
async function importRecords(name: string, count: number): Promise<void> {
  const sandbox = host.sandbox();
  const headers = { ...(await sandboxAuthHeaders(sandbox)), 'content-type': 'application/json' };
  const listed = await fetch(`${sandbox.baseUrl}/workflows/${SANDBOX_WORKFLOWS.image}/batches?pageSize=100`, {
    headers,
  });
  const batch = ((await listed.json()) as { id: string; name: string }[]).find((b) => b.name === name);
  if (!batch) throw new Error(`no batch named ${name}`);
  const imported = await fetch(`${sandbox.baseUrl}/batches/${batch.id}/records/import`, {
    method: 'POST',
    headers,
    body: JSON.stringify(Array.from({ length: count }, (_, n) => ({ data: { n } }))),
  });
  expect(imported.status).toBeLessThan(300);
}

test('the finish estimate waits for ten labeled records, then gives the rate, the time left and the time', async () => {
  // One labeler at a time, half a second a task, no exceptions: 120 records a minute.
  host.sandbox().setLabelers({ enabled: false, workers: 1, taskSeconds: 0.5, exceptionRate: 0 });
  await createImageBatch(page, 'Steady shelf');
  await importRecords('Steady shelf', 200);
  const card = page.getByRole('main').getByRole('region', { name: 'Completion' });
  await expect(card.getByRole('status')).toHaveText('Estimate after 10 more records are labeled', {
    timeout: 15_000,
  });

  host.sandbox().setLabelers({ enabled: true });
  await expect(card.getByRole('status')).toHaveText(
    /^Labeling ~\d+ records\/min · done in about \d+ min \(around \d\d:\d\d [AP]M\)$/,
    { timeout: 30_000 },
  );
  const text = (await card.getByRole('status').textContent()) ?? '';
  const perMinute = Number(/~(\d+) records/.exec(text)?.[1]);
  // The team's rate is 120 a minute; the estimate's window starts before the first task was done.
  expect(perMinute).toBeGreaterThan(120 * 0.6);
  expect(perMinute).toBeLessThan(120 * 1.2);
  await checkAtEverySize(page, 'batch-labeling-estimate', card);
});

test('a spike of exceptions among the latest records raises one alert for the batch', async () => {
  // Every task now ends in exception and is then canceled, all worked at once.
  host.sandbox().setLabelers({
    workers: null,
    taskSeconds: 0.2,
    exceptionRate: 1,
    cancelRate: 1,
    unresolvedExceptionRate: 0,
  });
  await createImageBatch(page, 'Troubled shelf');
  await importRecords('Troubled shelf', 30);
  const alert = page.getByRole('status').filter({
    hasText:
      /^Exceptions are rising in Troubled shelf: \d+ of the latest \d+ records ended in exception or canceled \(100%\)\./,
  });
  await expect(alert).toBeVisible({ timeout: 30_000 });
  await checkAtEverySize(page, 'batch-exception-alert', alert, { hover: true });
  await page.mouse.move(0, 0);
  // Once per batch: the rest of the batch going wrong raises no second alert.
  await expect(page.getByRole('main').getByTestId('canceled-total')).toHaveText('30', { timeout: 30_000 });
  await expect(alert).toHaveCount(0, { timeout: 20_000 });
  await expect(page.getByRole('status').filter({ hasText: 'Exceptions are rising' })).toHaveCount(0);
});
