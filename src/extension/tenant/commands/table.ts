// The tenant side's entries in the one command registry (src/extension/commands.ts). Each loads its
// module on first use; when each is offered is decided by package.json `when` clauses.
import type { CommandHandler } from '../../commands';
import { loadPart } from '../../parts';

// The command modules live in the tenant bundle (src/extension/tenant/part.ts; parts.ts).
const connection = () => loadPart('tenant').then((p) => p.connection);
const jobs = () => loadPart('tenant').then((p) => p.jobs);
const runs = () => loadPart('tenant').then((p) => p.runs);

export const tenantCommandTable: Record<string, () => Promise<CommandHandler>> = {
  'scanjobs.addTenant': () => loadPart('tenant').then((p) => p.addTenant.addTenant),
  'scanjobs.editTenant': () => loadPart('tenant').then((p) => p.addTenant.editTenant),
  'scanjobs.removeTenant': () => connection().then((m) => m.removeTenant),
  'scanjobs.selectTenant': () => connection().then((m) => m.selectTenant),
  'scanjobs.testConnection': () => connection().then((m) => m.testConnection),
  'scanjobs.setLogApiKey': () => connection().then((m) => m.setLogApiKey),
  'scanjobs.refresh': () => connection().then((m) => m.refresh),
  'scanjobs.loadMore': () => connection().then((m) => m.loadMore),
  'scanjobs.startLocalTenant': () => connection().then((m) => m.startLocalTenant),
  'scanjobs.stopLocalTenant': () => connection().then((m) => m.stopLocalTenant),
  'scanjobs.tenantMenu': () => connection().then((m) => m.tenantMenu),
  'scanjobs.showOutput': () => connection().then((m) => m.showOutput),
  'scanjobs.pushJob': () => jobs().then((m) => m.pushJob),
  'scanjobs.pullJob': () => jobs().then((m) => m.pullJob),
  'scanjobs.diffJob': () => jobs().then((m) => m.diffJobWithTenant),
  'scanjobs.deleteJob': () => jobs().then((m) => m.deleteJob),
  'scanjobs.pauseJob': () => jobs().then((m) => m.pauseJob),
  'scanjobs.resumeJob': () => jobs().then((m) => m.resumeJob),
  'scanjobs.triggerJob': () => jobs().then((m) => m.triggerJob),
  'scanjobs.openExampleJob': () => jobs().then((m) => m.openExampleJob),
  'scanjobs.executeJob': () => runs().then((m) => m.executeJob),
  'scanjobs.cancelRun': () => runs().then((m) => m.cancelRun),
  'scanjobs.watchRun': () => runs().then((m) => m.watchRun),
  'scanjobs.openRun': () => runs().then((m) => m.openRun),
  'scanjobs.copyRunId': () => runs().then((m) => m.copyRunId),
  'scanjobs.showJobHistory': () => runs().then((m) => m.showJobHistory),
  'scanjobs.previewMatches': () => loadPart('tenant').then((p) => p.preview.previewMatchesCommand),
  'scanjobs.dryRunJob': () => loadPart('tenant').then((p) => p.preview.dryRunCommand),
};
