// One line per diagnostic code of the job checks; docs/rules.md has the full page for each.
// Codes of the query-filter engine (filter lints) are documented in docs/queryfilter.md.
export const RULE_DOCS: Record<string, string> = {
  'json-syntax': 'The file is not valid JSON; the platform rejects it.',
  'json-invalid-escape': 'A backslash escape JSON does not allow, such as `$\\{` copied from the docs.',
  'json-duplicate-key': 'A key given twice in one object: the platform keeps the last value.',
  'file-encoding': 'The file is UTF-16/UTF-32 or has bytes that do not decode: save it as UTF-8.',
  'not-a-job': 'The file holds no scheduler job (no `invokeService`).',
  'schema-required': 'A required field is missing.',
  'schema-value': 'A field has the wrong type or value.',
  'unknown-field': 'A field the scheduler does not know; kept but ignored.',
  'cron-invalid': 'The `schedule` is not a valid Quartz cron expression (the server answers 500).',
  'cron-numeric-day-of-week': 'A numeric day-of-week: 1 is Sunday in Quartz; names are unambiguous.',
  'simple-runs-on-push':
    'A `simple` job without `startTime` runs as soon as it is pushed, and on every push.',
  'concurrent-execution-ineffective':
    '`concurrentExecution: false` does nothing while `waitForCompletion` is false.',
  'invoke-service': '`invokeService` is not exactly `taskscanner`.',
  'task-state': '`scan.taskState.started`/`completed` missing, equal, or not JSON pointers.',
  'misplaced-setting':
    '`waitForCompletion`, `numberOfThreads` or `maxRecords` under `task` or `scan`, where nothing reads it.',
  'recovery-timeout': '`scan.recovery.timeout` is not `<integer><unit>`.',
  'recovery-timeout-missing':
    'No `scan.recovery.timeout` (or zero): an overlapping run re-claims objects still in progress.',
  'filter-syntax': 'The `_queryFilter` does not parse; the run fails at its start.',
  'filter-rescans-completed':
    'The filter never excludes objects whose completed field is set: every run rescans them.',
  'scan-object': '`scan.object` is not a managed or system resource path.',
  'scan-object-realm': 'AIC names managed objects with the realm prefix (`managed/alpha_user`).',
  'filter-macro-truncated':
    'Text after the last `${…}` macro in the filter: OpenIDM drops it and the run hangs (error for OpenIDM).',
  'filter-hyphenated-field':
    "A field name with a hyphen in the filter: OpenIDM's OrientDB repository matches nothing on it.",
  'simple-fires-once': 'On OpenIDM a `simple` job fires once and then deletes itself.',
  'script-syntax': 'The script does not parse as JavaScript.',
  'script-not-true': "The script's value is not `true`: every object counts as failed and is rescanned.",
  'script-throw':
    "A `throw` outside any `try`: it ends the worker's share of the run, leaving objects unscanned.",
  'rhino-compat':
    'The script uses what Rhino 1.7.14 (AIC, IDM) rejects or runs differently from a modern engine.',
  'script-file-missing': 'The script file named by `file` or `file://` does not exist.',
  'script-file-outside': "The script reference leads out of the job's folder (absolute, `..`, or a link).",
};
