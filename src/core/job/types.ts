// The shapes the job checks hand to the editor and the CLI.

export type Severity = 'error' | 'warning' | 'info';

/** Replace document offsets [start, end) with newText; `path` names another file than the job's. */
export interface TextEdit {
  start: number;
  end: number;
  newText: string;
  path?: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
}

/**
 * One finding. `start`/`end` are offsets into the job file's text, or into the file named by
 * `path` when the finding sits in a script file beside the job.
 */
export interface JobDiagnostic {
  severity: Severity;
  code: string;
  message: string;
  start: number;
  end: number;
  path?: string;
  fixes?: Fix[];
}

/** The file layouts people keep jobs in (peers.md §1.1, §1.2; idm-api.md §3.2). */
export type JobLayout = 'scanjob' | 'fr-config-manager' | 'frodo' | 'idm-conf' | 'plain';

/**
 * Which platform a job is meant for; changes a few hints and checks (idm-api.md §7): `aic` PingOne AIC,
 * `idm` self-hosted PingIDM 7/8, `openidm` the open-source OpenIDM fork (Open Identity Platform), whose
 * observed behaviours differ (shared/openidm/README.md "What the real server does").
 */
export type Platform = 'aic' | 'idm' | 'openidm';
export const PLATFORMS: readonly Platform[] = ['aic', 'idm', 'openidm'];
