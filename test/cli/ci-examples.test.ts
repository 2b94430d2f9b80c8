// The CI examples of docs/ci.md (examples/ci/): the GitHub workflow through GitHub's own workflow
// parser, the GitLab job as YAML with GitLab's required structure, the pre-commit hook in a real git
// repository. docs/ci.md shows each file verbatim.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { parse as parseYaml } from 'yaml';

const root = path.resolve(__dirname, '../..');

/**
 * GitHub's workflow parser ships as ES modules that import JSON without import attributes, which Node
 * refuses; esbuild (our bundler) bundles it into one CommonJS file that Node loads.
 */
function loadWorkflowParser(): typeof import('@actions/workflow-parser') {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'scanjobs-wfp-')), 'parser.cjs');
  buildSync({
    // its package exports only an `import` condition, which require.resolve does not take
    entryPoints: [path.join(root, 'node_modules/@actions/workflow-parser/dist/index.js')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: out,
    logLevel: 'silent',
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(out) as typeof import('@actions/workflow-parser');
}
const read = (rel: string) => readFileSync(path.join(root, rel), 'utf8');

describe('CI examples (docs/ci.md)', function () {
  it('shows each example file verbatim in docs/ci.md', function () {
    const doc = read('docs/ci.md');
    for (const f of [
      'examples/ci/github-workflow.yml',
      'examples/ci/gitlab-ci.yml',
      'examples/ci/pre-commit',
    ])
      assert.ok(doc.includes(read(f).trimEnd()), `docs/ci.md shows ${f} as it is`);
  });

  it("has a GitHub workflow that GitHub's workflow parser accepts", function () {
    this.timeout(60_000);
    const { parseWorkflow, NoOperationTraceWriter } = loadWorkflowParser();
    const content = read('examples/ci/github-workflow.yml');
    const result = parseWorkflow({ name: 'scanjobs.yml', content }, new NoOperationTraceWriter());
    assert.deepEqual(
      result.context.errors.getErrors().map((e) => e.message),
      [],
      'no parse or schema error',
    );
    assert.ok(result.value, 'a workflow came out');
    // and the parser is strict enough to catch a misspelt key
    const bad = parseWorkflow(
      { name: 'bad.yml', content: content.replace('runs-on:', 'run-on:') },
      new NoOperationTraceWriter(),
    );
    assert.ok(bad.context.errors.getErrors().length > 0, 'a misspelt key is an error');
    const wf = parseYaml(content) as {
      jobs: Record<string, { steps: { run?: string }[]; env?: Record<string, string> }>;
    };
    const runs = (job: string) => wf.jobs[job].steps.map((s) => s.run ?? '').join('\n');
    assert.match(runs('validate'), /scanjobs validate --format github/);
    assert.match(runs('validate'), /--format sarif/);
    assert.match(runs('deploy'), /scanjobs execute \S+ --watch/);
    for (const v of Object.values(wf.jobs.deploy.env ?? {}))
      assert.match(v, /^\$\{\{ (secrets|vars)\.[A-Z_]+ \}\}$/, 'credentials come from the secret store');
  });

  it('has a GitLab job with the structure GitLab requires', function () {
    const ci = parseYaml(read('examples/ci/gitlab-ci.yml')) as Record<string, unknown>;
    const stages = ci.stages as string[];
    const jobs = Object.entries(ci).filter(([k]) => k !== 'stages');
    assert.ok(jobs.length >= 2);
    for (const [name, job] of jobs) {
      const j = job as { stage: string; script: unknown; needs?: string[] };
      assert.ok(stages.includes(j.stage), `${name}: stage ${j.stage} is declared`);
      assert.ok(
        Array.isArray(j.script) && j.script.every((s) => typeof s === 'string'),
        `${name}: script list`,
      );
      for (const n of j.needs ?? []) assert.ok(n in ci, `${name} needs ${n}, which exists`);
    }
  });

  describe('the pre-commit hook', function () {
    this.timeout(60_000);
    let repo = '';
    const git = (...args: string[]) =>
      spawnSync('git', args, {
        cwd: repo,
        encoding: 'utf8',
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 't',
          GIT_AUTHOR_EMAIL: 't@example.invalid',
          GIT_COMMITTER_NAME: 't',
          GIT_COMMITTER_EMAIL: 't@example.invalid',
          // the CLI from source, as `scanjobs` would be after npm i -g
          SCANJOBS: `node --import ${require.resolve('tsx', { paths: [root] })} ${path.join(root, 'src/cli/main.ts')}`,
        },
      });
    before(function () {
      repo = mkdtempSync(path.join(tmpdir(), 'scanjobs-hook-'));
      assert.equal(git('init', '-q').status, 0);
      copyFileSync(path.join(root, 'examples/ci/pre-commit'), path.join(repo, '.git/hooks/pre-commit'));
      chmodSync(path.join(repo, '.git/hooks/pre-commit'), 0o755);
    });
    after(() => rmSync(repo, { recursive: true, force: true }));

    it('refuses a commit with a job file that has an error, and says why', function () {
      copyFileSync(
        path.join(root, 'examples/published/sunsetTask.scanjob.json'),
        path.join(repo, 'sunset.scanjob.json'),
      );
      git('add', '.');
      const r = git('commit', '-qm', 'published job');
      assert.notEqual(r.status, 0, 'the commit was refused');
      // git hands a hook's standard output to its own standard error
      assert.match(r.stderr, /sunset\.scanjob\.json:12:\d+: error json-invalid-escape/);
      assert.match(r.stderr, /scanjobs validate found errors/);
      assert.notEqual(git('rev-parse', '--verify', 'HEAD').status, 0, 'nothing was committed');
    });

    it('lets a clean job file through', function () {
      copyFileSync(path.join(root, 'examples/sunset.scanjob.json'), path.join(repo, 'sunset.scanjob.json'));
      writeFileSync(path.join(repo, 'README.md'), 'jobs\n');
      git('add', '.');
      const r = git('commit', '-qm', 'clean job');
      assert.equal(r.status, 0, r.stdout + r.stderr);
    });
  });
});
