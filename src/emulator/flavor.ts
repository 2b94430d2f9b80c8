/**
 * Which platform the local tenant plays: AIC (the default) or OpenIDM 6.1.0 as observed on a live
 * server (shared openidm/README.md, "What the real server does"). A flavour is data: each switch is read
 * at the one point where the platforms differ; everything else is the same emulator.
 */

export type FlavorName = 'aic' | 'openidm';

export const FLAVOR_NAMES: readonly FlavorName[] = ['aic', 'openidm'];

export interface Flavor {
  readonly name: FlavorName;
  /** README 1: text after the last `${…}` macro of a scan string is dropped (idm-api.md §5.2). */
  readonly truncatesAfterLastMacro: boolean;
  /**
   * README 2: a `simple` job fires once, this many ms after it is written, then deletes itself
   * (`repeatInterval` ignored). Undefined: Quartz simple triggers as in idm-api.md §2.1.
   */
  readonly simpleFiresOnceAfterMs?: number;
  /** README 3: `GET /taskscanner?_queryFilter=…` answers this (501 on the fork); runs list only as `{tasks}`. */
  readonly runQuery: boolean;
  /** README 3: run records carry `name: "schedule/<job>"` (AIC) or no name (the fork, §4.1). */
  readonly runName: boolean;
  /** README 3: a run time not set yet: `null` (AIC) or `""` (the fork, §4.1). */
  readonly unsetTime: null | '';
  /** README 4: `execute&name=` finds `/scheduler/job` jobs too (AIC), or only `config/<name>` (§4.4). */
  readonly executeBy: 'job-or-config' | 'config';
  /** README 8: error messages HTML-escaped (`'` → `&#39;`). */
  readonly escapesMessages: boolean;
  /** README 9: queries answered in memory for every filter the parser accepts, or as OrientDB does. */
  readonly repository: 'memory' | 'orientdb';
  /** §2.1, §7: `persisted` when a create leaves it out. */
  readonly persistedDefault: boolean;
  /** §2.2, §7: `recoverable` and `previousRunDate` in job replies (AIC only). */
  readonly aicJobFields: boolean;
  /** AIC's `/monitoring/logs` API (docs/logs.md); OpenIDM writes script lines to its own files only. */
  readonly logApi: boolean;
}

export const AIC: Flavor = {
  name: 'aic',
  truncatesAfterLastMacro: false,
  runQuery: true,
  runName: true,
  unsetTime: null,
  executeBy: 'job-or-config',
  escapesMessages: false,
  repository: 'memory',
  persistedDefault: true,
  aicJobFields: true,
  logApi: true,
};

export const OPENIDM: Flavor = {
  name: 'openidm',
  truncatesAfterLastMacro: true,
  simpleFiresOnceAfterMs: 3000,
  runQuery: false,
  runName: false,
  unsetTime: '',
  executeBy: 'config',
  escapesMessages: true,
  repository: 'orientdb',
  persistedDefault: false,
  aicJobFields: false,
  logApi: false,
};

export function flavorNamed(name: FlavorName | undefined): Flavor {
  return name === 'openidm' ? OPENIDM : AIC;
}

/** README 8: how the fork's HTTP layer escapes a message (the characters HTML gives meaning to). */
export function escapeMessage(message: string): string {
  return message.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;',
  );
}

/**
 * README 1: the fork's macro expansion keeps nothing after the last macro. `expanded` is the full
 * expansion of `text`, `lastEnd` the end of the last macro in `text`.
 */
export function truncateAfterLastMacro(text: string, expanded: string, lastEnd: number): string {
  return expanded.slice(0, expanded.length - (text.length - lastEnd));
}
