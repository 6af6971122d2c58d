import { describe, expect, it } from 'vitest';
import {
  ApiKeyRejectedError,
  InvalidRequestError,
  LoginRejectedError,
  NetworkError,
  NotFoundError,
} from '../../../main/alegion/errors.ts';
import { collect } from '../../../main/alegion/pagination.ts';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/server.ts';
import { useSandbox } from '../../support/sandbox.ts';
import { clientFor, closedPort, expectNoSecrets, failureOf } from './helpers.ts';

const sandbox = useSandbox({ tokenTtl: 2, labelers: false, seed: 3 });

const MISSING = '3c9fa471-882b-4d92-82d4-ece202606ba6';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('authentication', () => {
  it('logs in lazily, once, and sends the API key with /login', async () => {
    const client = clientFor(sandbox());
    const before = sandbox().stats().logins;
    expect(client.logins).toBe(0);
    await client.verify();
    await client.listWorkflows().count();
    expect(sandbox().stats().logins - before).toBe(1);
    client.close();
  });

  it('keeps working across token expiry (2 s tokens over 5 s of calls), renewing before expiry', async () => {
    const client = clientFor(sandbox());
    const before = sandbox().stats().logins;
    const refused = sandbox().stats().requestsByRoute['GET /v1/workflows'] ?? 0;
    for (let call = 0; call < 20; call++) {
      expect(await client.listWorkflows().count()).toBe(4);
      await sleep(250);
    }
    const logins = sandbox().stats().logins - before;
    expect(logins).toBeGreaterThanOrEqual(2);
    // Renewal happened before expiry: every workflow listing was served once (no 401 and repeat).
    expect((sandbox().stats().requestsByRoute['GET /v1/workflows'] ?? 0) - refused).toBe(20);
    client.close();
  });

  it('logs in again once and repeats the call when the server refuses the token (401)', async () => {
    // The client trusts its token long past expiry, so only the server's 401 can reveal it.
    const client = clientFor(sandbox(), { tokenRenewMarginSeconds: -3_600 });
    await client.verify();
    await sleep(2_100);
    const before = sandbox().stats().logins;
    expect(await client.listWorkflows().count()).toBe(4);
    expect(sandbox().stats().logins - before).toBe(1);
    client.close();
  });

  it('20 parallel calls after expiry share exactly one login', async () => {
    const client = clientFor(sandbox());
    await client.verify();
    await sleep(2_100);
    const before = sandbox().stats().logins;
    const counts = await Promise.all(Array.from({ length: 20 }, () => client.listWorkflows().count()));
    expect(counts).toEqual(Array.from({ length: 20 }, () => 4));
    expect(sandbox().stats().logins - before).toBe(1);
    client.close();
  });

  it('20 parallel calls refused with 401 (tokens revoked) share exactly one login', async () => {
    const client = clientFor(sandbox(), { tokenRenewMarginSeconds: -3_600 });
    await client.verify();
    sandbox().expireTokens();
    const before = sandbox().stats().logins;
    const counts = await Promise.all(Array.from({ length: 20 }, () => client.listWorkflows().count()));
    expect(counts).toEqual(Array.from({ length: 20 }, () => 4));
    expect(sandbox().stats().logins - before).toBe(1);
    client.close();
  });
});

describe('error messages', () => {
  it('a wrong password: "username or password rejected", with no secret anywhere', async () => {
    const client = clientFor(sandbox(), { password: 'wrong-password-value' });
    const error = await failureOf(() => client.verify());
    expect(error).toBeInstanceOf(LoginRejectedError);
    expect(error.message).toBe('username or password rejected');
    expectNoSecrets(error, ['wrong-password-value', sandbox().options.apiKey]);
    client.close();
  });

  it('a wrong API key: "API key rejected: check the key for this profile"', async () => {
    const client = clientFor(sandbox(), { apiKey: 'wrong-key-value' });
    const error = await failureOf(() => collect(client.listWorkflows()));
    expect(error).toBeInstanceOf(ApiKeyRejectedError);
    expect(error.message).toBe('API key rejected: check the key for this profile');
    expectNoSecrets(error, ['wrong-key-value', sandbox().options.password]);
    client.close();
  });

  it('an unknown workflow or batch: "<kind> <id> not found"', async () => {
    const client = clientFor(sandbox());
    const workflow = await failureOf(() => client.listBatches(MISSING).count());
    expect(workflow).toBeInstanceOf(NotFoundError);
    expect(workflow.message).toBe(`workflow ${MISSING} not found`);
    const batch = await failureOf(() => client.getBatch(MISSING));
    expect(batch).toBeInstanceOf(NotFoundError);
    expect(batch.message).toBe(`batch ${MISSING} not found`);
    const createIn = await failureOf(() => client.createBatch(MISSING, { name: 'x' }));
    expect(createIn.message).toBe(`workflow ${MISSING} not found`);
    client.close();
  });

  it("a malformed id: the server's message and which id it was", async () => {
    const client = clientFor(sandbox());
    const error = await failureOf(() => client.getBatch('batch-42'));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).malformedId).toBe('batch-42');
    expect(error.message).toBe(
      'malformed id "batch-42": Failed to convert value of type \'java.lang.String\' to required type ' +
        "'java.util.UUID'; nested exception is java.lang.IllegalArgumentException: Invalid UUID string: batch-42",
    );
    client.close();
  });

  it('an unreachable host: "cannot reach <host>", after the retries', async () => {
    const port = await closedPort();
    const retries: number[] = [];
    const client = clientFor(sandbox(), {
      baseUrl: `http://127.0.0.1:${port}/v1`,
      retries: 2,
      onEvent: (event) => {
        if (event.type === 'retry') retries.push(event.attempt);
      },
    });
    const error = await failureOf(() => client.listWorkflows().count());
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.message).toBe(`cannot reach 127.0.0.1:${port}`);
    expect(retries).toEqual([1, 2]);
    expectNoSecrets(error, [sandbox().options.apiKey, sandbox().options.password]);
    client.close();
  });

  it('lists workflows as the sandbox seeds them', async () => {
    const client = clientFor(sandbox());
    const ids = (await collect(client.listWorkflows({ sort: '+createdAt' }))).map((workflow) => workflow.id);
    expect(ids).toEqual([
      SANDBOX_WORKFLOWS.image,
      SANDBOX_WORKFLOWS.video,
      SANDBOX_WORKFLOWS.text,
      SANDBOX_WORKFLOWS.records,
    ]);
    client.close();
  });
});
