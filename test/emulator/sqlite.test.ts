import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDriver, nodeSqliteAvailable, openDatabase } from '../../src/emulator/sqlite';
import { SCHEMA_VERSION, Store } from '../../src/emulator/store';

const ROOT = join(__dirname, '..', '..');
/** A Node with node:sqlite: this one if it has it, else the Node 24 that scripts/install-vscode-host.sh installs. */
function newerNode(): string | undefined {
  if (nodeSqliteAvailable()) return process.execPath;
  const candidates = [
    process.env.SCANJOBS_NODE_SQLITE_BIN,
    join(ROOT, '.vscode-test-host/node24/node_modules/node/bin/node'),
  ];
  return candidates.find((c): c is string => !!c && existsSync(c));
}

describe('emulator: SQLite adapter and store', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'scanjobs-sqlite-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it(`opens ${nodeSqliteAvailable() ? 'node:sqlite' : 'better-sqlite3'} by default on Node ${process.version}`, () => {
    const db = openDatabase(':memory:');
    assert.equal(db.driver, nodeSqliteAvailable() ? 'node:sqlite' : 'better-sqlite3');
    db.close();
    if (!nodeSqliteAvailable()) {
      assert.throws(
        () => openDatabase(':memory:', 'node:sqlite'),
        /node:sqlite is not available in Node v\d+.*needs Node 22\.13 or newer/,
      );
    }
  });

  const drivers: SqliteDriver[] = nodeSqliteAvailable()
    ? ['better-sqlite3', 'node:sqlite']
    : ['better-sqlite3'];
  for (const driver of drivers) {
    it(`${driver}: commits, rolls back, and nests with savepoints`, () => {
      const db = openDatabase(':memory:', driver);
      db.exec('CREATE TABLE t (v INTEGER)');
      const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
      db.transaction(() => insert.run(1));
      assert.throws(() =>
        db.transaction(() => {
          insert.run(2);
          throw new Error('undo');
        }),
      );
      db.transaction(() => {
        insert.run(3);
        assert.throws(() =>
          db.transaction(() => {
            insert.run(4);
            throw new Error('inner');
          }),
        );
        insert.run(5);
      });
      assert.deepEqual(
        db
          .prepare('SELECT v FROM t ORDER BY v')
          .all()
          .map((r) => r.v),
        [1, 3, 5],
      );
      assert.equal(db.prepare('UPDATE t SET v = v + 1 WHERE v > ?').run(2).changes, 2);
      db.close();
    });
  }

  it('versions its schema and refuses a newer file instead of guessing', () => {
    let store = new Store({ dataDir: dir });
    assert.equal(store.schemaVersion(), SCHEMA_VERSION);
    assert.equal(store.db.prepare('PRAGMA journal_mode').get()?.journal_mode, 'wal');
    store.db.prepare("UPDATE meta SET value = '99' WHERE key = 'schema_version'").run();
    store.close();
    assert.throws(
      () => new Store({ dataDir: dir }),
      /schema version 99, newer than this emulator's 2; upgrade scanjobs or use another --data directory/,
    );
    assert.throws(() => new Store({}), /needs a data directory \(--data <dir>\) or --in-memory/);
    store = new Store({ inMemory: true });
    assert.equal(store.path, ':memory:');
    store.close();
  });

  it('runs the emulator on node:sqlite (Node >= 22.13), in a file better-sqlite3 then reads', async function () {
    const node = newerNode();
    if (!node) {
      if (process.env.SCANJOBS_ALLOW_MISSING_HOSTS === '1') this.skip();
      assert.fail(
        'no Node >= 22.13 found: run scripts/install-vscode-host.sh (setup.sh does) or set SCANJOBS_NODE_SQLITE_BIN',
      );
    }
    const script = [
      "const { startEmulator } = require('./src/emulator/server');",
      '(async () => {',
      `  const e = await startEmulator({ port: 0, dataDir: ${JSON.stringify(dir)}, seedUsers: 20, log: () => {} });`,
      "  const h = { 'X-OpenIDM-Username': 'openidm-admin', 'X-OpenIDM-Password': 'openidm-admin', 'Content-Type': 'application/json' };",
      "  const info = await (await fetch(e.url + '/scanjobs-emulator/info', { headers: h })).json();",
      "  const job = { schedule: '0 0 0 1 1 ? 2099', invokeService: 'taskscanner', invokeContext: { waitForCompletion: true, scan: { object: 'managed/alpha_user', _queryFilter: 'true', taskState: { started: '/s', completed: '/c' } }, task: { script: { type: 'text/javascript', source: 'true' } } } };",
      "  await fetch(e.url + '/openidm/scheduler/job/j', { method: 'PUT', headers: h, body: JSON.stringify(job) });",
      "  const run = await (await fetch(e.url + '/openidm/taskscanner?_action=execute&name=j', { method: 'POST', headers: h })).json();",
      "  const rec = await (await fetch(e.url + '/openidm/taskscanner/' + run._id, { headers: h })).json();",
      '  await e.close();',
      '  console.log(JSON.stringify({ version: process.version, driver: info.sqliteDriver, progress: rec.progress }));',
      '})();',
    ].join('\n');
    const child = spawn(node, ['--require', 'tsx/cjs', '--no-warnings', '-e', script], { cwd: ROOT });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise((r) => child.on('exit', r));
    assert.equal(code, 0, err);
    const result = JSON.parse(out.trim().split('\n').pop()!) as {
      version: string;
      driver: string;
      progress: { state: string; successes: number };
    };
    assert.equal(result.driver, 'node:sqlite', `on ${result.version}`);
    assert.deepEqual([result.progress.state, result.progress.successes], ['COMPLETED', 20]);
    // The same file, opened here with this runtime's driver: one SQL, one format.
    const store = new Store({ dataDir: dir, driver: 'better-sqlite3' });
    assert.equal(
      store.db
        .prepare(
          "SELECT count(*) AS n FROM objects WHERE collection = 'managed/alpha_user' AND data LIKE '%\"c\":\"20%'",
        )
        .get()?.n,
      20,
    );
    assert.equal(store.db.prepare('SELECT state FROM runs').get()?.state, 'COMPLETED');
    store.close();
  });
});
