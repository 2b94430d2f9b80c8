// What a job pulled from a tenant looks like on disk, in each layout (docs/cli.md "pull"; peers.md
// §1.1 Frodo, §1.2 fr-config-manager; idm-api.md §3.2 conf/schedule-*.json). The CLI and the editor
// both write these files, so a job pulled either way is the same file.
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
 * A tenant's job as a file holds it: without the fields the server adds (idm-api.md §2.2), with
 * `invokeService` short again, and without the repeat fields the server echoes as 0 on a cron job.
 */
export function jobForFile(job: Record<string, unknown>): Record<string, unknown> {
  const { _id: _i, triggers: _t, nextRunDate: _n, previousRunDate: _p, ...rest } = job;
  if (typeof rest.invokeService === 'string')
    rest.invokeService = rest.invokeService.replace(/^org\.forgerock\.openidm\./, '');
  if (rest.type !== 'simple' && rest.repeatInterval === 0 && rest.repeatCount === 0) {
    delete rest.repeatInterval;
    delete rest.repeatCount;
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
