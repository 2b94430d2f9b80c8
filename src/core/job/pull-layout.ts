// What a job pulled from a tenant looks like on disk, in each layout (docs/cli.md "pull"; peers.md
// §1.1 Frodo, §1.2 fr-config-manager; idm-api.md §3.2 conf/schedule-*.json). The CLI and the editor
// both write these files, so a job pulled either way is the same file.
import * as path from 'node:path';
import { JOB_SCHEMA_ID } from '../project';
import type { JobLayout } from './types';

export type PullLayout = Exclude<JobLayout, 'plain'>;

/** The layouts a job can be pulled into, with the files each one makes. */
export const PULL_LAYOUTS: readonly { layout: PullLayout; files: string }[] = [
  { layout: 'scanjob', files: '<name>.scanjob.json, script inline' },
  { layout: 'fr-config-manager', files: 'schedules/<name>/<name>.json + <name>.js' },
  { layout: 'frodo', files: '<name>/<name>.idm.json + script file' },
  { layout: 'idm-conf', files: 'conf/schedule-<name>.json + script/<name>.js' },
];

/**
 * Fields every job read carries with the scheduler's default when the job never set them
 * (idm-api.md §2.1 defaults, §2.2 response shape). A file that leaves them out pushes the same job,
 * and `concurrentExecution: false` echoed back would raise a warning (concurrent-execution-ineffective)
 * that the user did not cause. `persisted` and `enabled` stay: clients should always send them (§2.1).
 */
const ECHOED_DEFAULTS: Record<string, unknown> = {
  recoverable: false,
  misfirePolicy: 'fireAndProceed',
  invokeLogLevel: 'info',
  startTime: null,
  endTime: null,
  concurrentExecution: false,
};

/**
 * A tenant's job as a file holds it: without the fields the server adds (idm-api.md §2.2), with
 * `invokeService` short again, without the repeat fields the server echoes as 0 on a cron job, and
 * without the fields it echoes with their defaults.
 */
export function jobForFile(job: Record<string, unknown>): Record<string, unknown> {
  const { _id: _i, triggers: _t, nextRunDate: _n, previousRunDate: _p, ...rest } = job;
  if (typeof rest.invokeService === 'string')
    rest.invokeService = rest.invokeService.replace(/^org\.forgerock\.openidm\./, '');
  if (rest.type !== 'simple' && rest.repeatInterval === 0 && rest.repeatCount === 0) {
    delete rest.repeatInterval;
    delete rest.repeatCount;
  }
  for (const [key, value] of Object.entries(ECHOED_DEFAULTS)) {
    if (Object.hasOwn(rest, key) && rest[key] === value) delete rest[key];
  }
  return rest;
}

/**
 * The job file of a layout, its path relative to the folder it is pulled into ('/'-separated),
 * with the script still inline; extractScript then moves it out for the layouts that keep it apart.
 * Only our own `scanjob` layout carries `$schema` (so that any editor validates it; push removes
 * it): the other layouts are read by tools that send the whole file to the tenant (fr-config-manager,
 * Frodo) or by IDM itself (conf/schedule-*.json), which would keep the field in the job.
 */
export function pulledJobFile(
  layout: PullLayout,
  name: string,
  job: Record<string, unknown>,
): { rel: string; text: string } {
  const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
  const id = `schedule/${name}`;
  switch (layout) {
    case 'scanjob':
      return { rel: `${name}.scanjob.json`, text: json({ $schema: JOB_SCHEMA_ID, ...job }) };
    case 'fr-config-manager':
      return { rel: `schedules/${name}/${name}.json`, text: json({ _id: id, ...job }) };
    case 'frodo':
      return { rel: `${name}/${name}.idm.json`, text: json({ idm: { [id]: { _id: id, ...job } } }) };
    case 'idm-conf':
      return { rel: `conf/schedule-${name}.json`, text: json(job) };
  }
}

/** A glob that finds the job files a workspace already keeps in a layout. */
export const PULL_LAYOUT_GLOBS: Record<PullLayout, string> = {
  scanjob: '**/*.scanjob.json',
  'fr-config-manager': '**/schedules/*/*.json',
  frodo: '**/*.idm.json',
  'idm-conf': '**/conf/schedule-*.json',
};

/**
 * The folder a pulled job's `rel` path (pulledJobFile) starts from, so that it lands beside a job
 * file the workspace already keeps in that layout: `X/schedules/a/a.json` gives X, `X/conf/schedule-a.json`
 * gives X, `X/a/a.idm.json` gives X, `X/a.scanjob.json` gives X. Paths use the platform's separators.
 */
export function pullBaseOf(layout: PullLayout, existing: string): string {
  const up = (p: string, n: number) => {
    let out = p;
    for (let i = 0; i < n; i++) out = path.dirname(out);
    return out;
  };
  switch (layout) {
    case 'scanjob':
      return up(existing, 1);
    case 'fr-config-manager':
      return up(existing, 3);
    case 'frodo':
    case 'idm-conf':
      return up(existing, 2);
  }
}
