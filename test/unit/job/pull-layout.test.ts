import assert from 'node:assert/strict';
import {
  PULL_LAYOUTS,
  applyTextEdits,
  pullBaseOf,
  extractScript,
  jobForFile,
  jobNameFromPath,
  layoutOf,
  nodeFileAccess,
  parseJobFile,
  pulledJobFile,
  resolveJob,
} from '../../../src/core/job';
import { folder, scanJob } from './builders';

/** A job as a tenant's read returns it (idm-api.md §2.2): server fields and the long service name. */
function tenantRead(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...scanJob(),
    _id: 'sunset',
    invokeService: 'org.forgerock.openidm.taskscanner',
    triggers: [{ name: 'trigger-sunset' }],
    nextRunDate: '2026-11-29T00:00:00.000Z',
    previousRunDate: null,
    repeatInterval: 0,
    repeatCount: 0,
    ...over,
  };
}

describe('job names from paths', () => {
  const cases: [string, string][] = [
    ['/w/sunset.scanjob.json', 'sunset'],
    ['/w/idm/conf/schedule-sunset.json', 'sunset'],
    ['C:\\w\\conf\\schedule-sunset.json', 'sunset'],
    ['/w/schedules/sunset/sunset.json', 'sunset'],
    ['C:\\w\\schedules\\sunset\\sunset.json', 'sunset'],
    ['/w/frodo/sunset/sunset.idm.json', 'sunset'],
    ['/w/other/sunset.json', 'sunset'],
  ];
  for (const [path, name] of cases)
    it(`names the job in ${path} '${name}'`, () => assert.equal(jobNameFromPath(path, layoutOf(path)), name));
});

describe('pulled job files', () => {
  it('point other editors at the published schema in the scanjob layout only, and push leaves it out', () => {
    const SCHEMA = 'https://raw.githubusercontent.com/scanjobs/scanjobs/main/schemas/scan-job.schema.json';
    for (const { layout } of PULL_LAYOUTS) {
      const file = pulledJobFile(layout, 'sunset', jobForFile(tenantRead()));
      if (layout === 'scanjob') {
        assert.equal((JSON.parse(file.text) as Record<string, unknown>).$schema, SCHEMA);
        const pushed = resolveJob({ path: `/w/${file.rel}`, text: file.text });
        assert.ok(pushed.ok && !('$schema' in pushed.job), 'push never sends $schema');
      } else {
        assert.ok(!file.text.includes('$schema'), `${layout} files are read whole by other tools`);
      }
    }
  });

  it('leaves out the server fields and the repeat fields a cron job echoes as 0', () => {
    const file = jobForFile(tenantRead());
    for (const key of ['_id', 'triggers', 'nextRunDate', 'previousRunDate', 'repeatInterval', 'repeatCount'])
      assert.ok(!(key in file), key);
    assert.equal(file.invokeService, 'taskscanner');
  });

  it('leaves out the fields the server echoes with their defaults, and keeps other values', () => {
    const echoed = {
      recoverable: false,
      misfirePolicy: 'fireAndProceed',
      invokeLogLevel: 'info',
      startTime: null,
      endTime: null,
      concurrentExecution: false,
    };
    const file = jobForFile(tenantRead(echoed));
    for (const key of Object.keys(echoed)) assert.ok(!(key in file), key);
    assert.equal(file.persisted, true, 'persisted is always written');
    const set = jobForFile(
      tenantRead({ concurrentExecution: true, misfirePolicy: 'doNothing', recoverable: true }),
    );
    assert.equal(set.concurrentExecution, true);
    assert.equal(set.misfirePolicy, 'doNothing');
    assert.equal(set.recoverable, true);
  });

  it('keeps the repeat fields of a simple job, and of a cron job that sets them', () => {
    const simple = jobForFile(tenantRead({ type: 'simple', repeatInterval: 60000, repeatCount: 0 }));
    assert.equal(simple.repeatInterval, 60000);
    assert.equal(simple.repeatCount, 0);
    assert.equal(jobForFile(tenantRead({ repeatInterval: 5 })).repeatInterval, 5);
  });

  it('does not change the job it was given', () => {
    const read = tenantRead();
    jobForFile(read);
    assert.equal(read.repeatInterval, 0);
    assert.equal(read.invokeService, 'org.forgerock.openidm.taskscanner');
  });

  for (const { layout } of PULL_LAYOUTS) {
    it(`writes a ${layout} file that reads back as the same job under the same name`, () => {
      const job = jobForFile(tenantRead());
      const pulled = pulledJobFile(layout, 'sunset', job);
      const dir = folder({});
      const path = `${dir}/${pulled.rel}`;
      assert.equal(layoutOf(path), layout);
      const doc = parseJobFile(pulled.text);
      assert.equal(doc.jobs.length, 1);
      assert.equal(doc.jobs[0].name ?? jobNameFromPath(path, layout), 'sunset');
      const resolved = resolveJob({ path, text: pulled.text, files: nodeFileAccess, jobIndex: 0 });
      assert.ok(resolved.ok, resolved.ok ? '' : resolved.message);
      const { _id: _ignored, ...body } = resolved.job;
      assert.deepEqual(body, job);
    });
  }

  it('moves the script out of every layout but scanjob, and the job still resolves to the same', () => {
    for (const { layout } of PULL_LAYOUTS.filter((l) => l.layout !== 'scanjob')) {
      const job = jobForFile(tenantRead());
      const pulled = pulledJobFile(layout, 'sunset', job);
      const path = `${folder({})}/${pulled.rel}`;
      const extracted = extractScript({ path, text: pulled.text, files: nodeFileAccess });
      assert.ok(extracted.ok, `${layout}: ${extracted.ok ? '' : extracted.message}`);
      const text = applyTextEdits(pulled.text, extracted.edits);
      const files = {
        readFile: (p: string) => (p === extracted.file.path ? extracted.file.text : undefined),
      };
      const resolved = resolveJob({ path, text, files, jobIndex: 0 });
      assert.ok(resolved.ok, `${layout}: ${resolved.ok ? '' : resolved.message}`);
      const { _id: _ignored, ...body } = resolved.job;
      assert.deepEqual(body, job, layout);
    }
  });
});

describe('pulling beside the jobs a workspace already keeps', () => {
  it('starts each layout where its existing files start', () => {
    const cases: [Parameters<typeof pullBaseOf>[0], string, string][] = [
      ['scanjob', '/w/jobs/nightly.scanjob.json', '/w/jobs'],
      ['fr-config-manager', '/w/tenant-config/schedules/nightly/nightly.json', '/w/tenant-config'],
      ['frodo', '/w/export/nightly/nightly.idm.json', '/w/export'],
      ['idm-conf', '/w/project/conf/schedule-nightly.json', '/w/project'],
    ];
    for (const [layout, existing, base] of cases) {
      assert.equal(pullBaseOf(layout, existing), base, layout);
      // and the pulled file then sits where the existing one does
      const rel = pulledJobFile(layout, 'sunset', {}).rel;
      const existingDepth = existing.slice(base.length + 1).split('/').length;
      assert.equal(rel.split('/').length, existingDepth, `${layout}: ${rel} mirrors ${existing}`);
    }
  });
});
