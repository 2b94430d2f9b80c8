// Preview a job's matches and dry-run it on a private copy (issue 15), writing nothing to the tenant.
export * from './task-state';
export { readScanQuery, fieldLabel, ScanQueryError, type ScanQuery } from './scan-query';
export { ManagedSource, type ManagedObject, type ManagedPageQuery } from './managed-source';
export {
  previewMatches,
  previewJson,
  PREVIEW_SAMPLE_DEFAULT,
  type Preview,
  type PreviewOptions,
  type PreviewSample,
} from './preview';
export { jsonChanges, type Change } from './changes';
export type {
  ManagedObjectCopy,
  PrivateTenant,
  PrivateTenantSetup,
  StartPrivateTenant,
} from './private-tenant';
export {
  dryRun,
  DRY_RUN_SAMPLE_DEFAULT,
  DRY_RUN_SAMPLE_MAX,
  type DryRunLogLine,
  type DryRunOptions,
  type DryRunReport,
  type DryRunResult,
  type DryRunStatus,
  type TouchedObject,
} from './dry-run';
