import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { StatementSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { useTempJournal } from '../../../../support/temp-journal.ts';
import { GroupCommit } from '../../../../../main/uploads/journal/group-commit.ts';
import { openJournal } from '../../../../../main/uploads/journal/journal.ts';
import { advanceItemDurably, getItem, insertFiles } from '../../../../../main/uploads/journal/items.ts';
import { ensureTarget, openRun } from '../../../../../main/uploads/journal/targets.ts';

const WORKFLOW = '5f0c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a01';
const JOURNAL_MODULE = join(import.meta.dirname, '../../../../../main/uploads/journal/journal.ts');
const ITEMS_MODULE = join(import.meta.dirname, '../../../../../main/uploads/journal/items.ts');

/** Whether the promise settles within a few microtask turns, without letting the event loop go on. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  for (let i = 0; i < 10; i++) await Promise.resolve();
  return done;
}

/** An in-memory database with the statement cache the group commit uses. */
function memoryDb(schema: string): { db: DatabaseSync; stmt: (sql: string) => StatementSync } {
  const db = new DatabaseSync(':memory:');
  db.exec(schema);
  const cache = new Map<string, StatementSync>();
  const stmt = (sql: string): StatementSync => {
    let statement = cache.get(sql);
    if (!statement) cache.set(sql, (statement = db.prepare(sql)));
    return statement;
  };
  return { db, stmt };
}

describe('group commit of journal writes', () => {
  const temp = useTempJournal('group-commit-');

  function queueFiles(n: number): number[] {
    const run = openRun(temp.journal, 'k').id;
    const target = ensureTarget(temp.journal, WORKFLOW, { batchId: 'b' }, undefined, 's');
    const files = Array.from({ length: n }, (_, i) => ({
      path: `/data/f${i}.jpg`,
      name: `f${i}.jpg`,
      size: 10,
      mtimeMs: 1,
    }));
    insertFiles(temp.journal, run, target, files, false);
    return (temp.journal.db.prepare('SELECT id FROM items ORDER BY id').all() as { id: number }[]).map(
      (r) => r.id,
    );
  }

  it('commits the intents of many items made in one turn in one transaction, each resolved after it', async () => {
    const ids = queueFiles(50);
    const before = temp.journal.grouped.commits;
    const writes = ids.map((id) =>
      advanceItemDurably(temp.journal, id, { state: 'registering', assetName: `a${id}` }),
    );
    // Nothing is released before the commit: no write has even run yet.
    expect(await settled(Promise.race(writes))).toBe(false);
    expect(getItem(temp.journal, ids[0] as number)?.state).toBe('queued');
    expect(await Promise.all(writes)).toEqual(ids.map(() => true));
    expect(temp.journal.grouped.commits - before).toBe(1);
    for (const id of ids) expect(getItem(temp.journal, id)?.assetName).toBe(`a${id}`);
  });

  it('does not release a write before the flush that commits it', async () => {
    const flushes: (() => void)[] = [];
    const { db, stmt } = memoryDb('CREATE TABLE t (v INTEGER)');
    const group = new GroupCommit({ db, stmt }, (flush) => flushes.push(flush));
    const write = group.submit(() => stmt('INSERT INTO t (v) VALUES (1)').run());
    await new Promise((resolve) => setImmediate(resolve));
    expect(await settled(write)).toBe(false);
    expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 0 });
    expect(flushes).toHaveLength(1);
    flushes[0]?.();
    await write;
    expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 1 });
    expect(db.isTransaction).toBe(false);
    db.close();
  });

  it('fails a write that throws alone: its changes are undone, the others of its group commit', async () => {
    const ids = queueFiles(3);
    const [a, b, c] = ids as [number, number, number];
    const first = advanceItemDurably(temp.journal, a, { state: 'registering' });
    const failing = temp.journal.grouped.submit(() => {
      temp.journal.db.prepare("UPDATE items SET state = 'registering' WHERE id = ?").run(b);
      throw new Error('a write that fails halfway');
    });
    const third = advanceItemDurably(temp.journal, c, { state: 'registering' });
    await expect(failing).rejects.toThrow('a write that fails halfway');
    expect(await first).toBe(true);
    expect(await third).toBe(true);
    expect([a, b, c].map((id) => getItem(temp.journal, id)?.state)).toEqual([
      'registering',
      'queued',
      'registering',
    ]);
  });

  it('runs a one-statement write without a savepoint, and one that fails halfway is still undone whole', async () => {
    const { db, stmt } = memoryDb(`CREATE TABLE t (k INTEGER UNIQUE, v INTEGER);
      CREATE TABLE log (k INTEGER);
      CREATE TRIGGER t_log AFTER UPDATE ON t BEGIN INSERT INTO log (k) VALUES (NEW.k); END;
      INSERT INTO t (k, v) VALUES (1, 0), (2, 0), (3, 0);`);
    const ran: string[] = [];
    const group = new GroupCommit({
      db,
      stmt: (sql) => {
        ran.push(sql);
        return stmt(sql);
      },
    });
    const one = { oneStatement: true };
    const first = group.submit(() => stmt('UPDATE t SET v = 5 WHERE k = 1').run(), one);
    // Changes the row k = 2 (and logs it), then fails on k = 3 (its new k is taken).
    const failing = group.submit(
      () => stmt('UPDATE t SET v = 7, k = CASE WHEN k = 3 THEN 1 ELSE k END WHERE k >= 2').run(),
      one,
    );
    const third = group.submit(() => stmt('UPDATE t SET v = 9 WHERE k = 3').run(), one);
    await expect(failing).rejects.toThrow(/UNIQUE/);
    await expect(first).resolves.toBeDefined();
    await expect(third).resolves.toBeDefined();
    expect(db.prepare('SELECT k, v FROM t ORDER BY k').all()).toEqual([
      { k: 1, v: 5 },
      { k: 2, v: 0 },
      { k: 3, v: 9 },
    ]);
    expect(db.prepare('SELECT k FROM log ORDER BY rowid').all()).toEqual([{ k: 1 }, { k: 3 }]);
    expect(ran.filter((sql) => sql.includes('SAVEPOINT'))).toEqual([]);
    db.close();
  });

  it('fails exactly the writes of a group whose commit fails; the next group commits', async () => {
    // A deferred foreign key is checked at COMMIT: the commit itself fails.
    const { db, stmt } = memoryDb(`PRAGMA foreign_keys = ON;
      CREATE TABLE parent (id INTEGER PRIMARY KEY);
      CREATE TABLE child (v INTEGER, parent_id INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED);`);
    const group = new GroupCommit({ db, stmt });
    const doomed = [
      group.submit(() => stmt('INSERT INTO child (v, parent_id) VALUES (1, NULL)').run()),
      group.submit(() => stmt('INSERT INTO child (v, parent_id) VALUES (2, 99)').run()),
    ];
    const outcomes = await Promise.allSettled(doomed);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect(String((outcomes[0] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/i);
    expect(db.isTransaction).toBe(false);
    const next = group.submit(() => stmt('INSERT INTO child (v, parent_id) VALUES (3, NULL)').run());
    await expect(next).resolves.toBeDefined();
    expect(db.prepare('SELECT v FROM child ORDER BY v').all()).toEqual([{ v: 3 }]);
    db.close();
  });

  it('a write that resolved survives SIGKILL; one still waiting for its group does not', () => {
    const path = join(temp.dir, 'killed.sqlite');
    temp.journal.close();
    const seed = openJournal(path);
    const run = openRun(seed, 'k').id;
    const target = ensureTarget(seed, WORKFLOW, { batchId: 'b' }, undefined, 's');
    insertFiles(seed, run, target, [{ path: '/d/a.jpg', name: 'a.jpg', size: 1, mtimeMs: 1 }], false);
    insertFiles(seed, run, target, [{ path: '/d/b.jpg', name: 'b.jpg', size: 1, mtimeMs: 1 }], false);
    seed.close();
    const script = `
      import { openJournal } from ${JSON.stringify(JOURNAL_MODULE)};
      import { advanceItemDurably } from ${JSON.stringify(ITEMS_MODULE)};
      const journal = openJournal(${JSON.stringify(path)});
      const [a, b] = journal.db.prepare('SELECT id FROM items ORDER BY id').all().map((r) => r.id);
      await advanceItemDurably(journal, a, { state: 'registering' });
      void advanceItemDurably(journal, b, { state: 'registering' });
      process.kill(process.pid, 'SIGKILL');`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(child.signal).toBe('SIGKILL');
    temp.journal = openJournal(path);
    const states = temp.journal.db.prepare('SELECT state FROM items ORDER BY id').all();
    expect(states).toEqual([{ state: 'registering' }, { state: 'queued' }]);
  });
});
