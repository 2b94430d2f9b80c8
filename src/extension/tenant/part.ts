// Entry of the tenant bundle (dist/extension-tenant.js): the tenant side and its command modules,
// loaded through parts.ts on first use.
export { TenantSide } from './side';
export { ManagedObjectPointers } from './managed-pointers';
export * as addTenant from './commands/add-tenant';
export * as connection from './commands/connection';
export * as jobs from './commands/jobs';
export * as runs from './commands/runs';
export * as preview from '../preview/commands';
export { shownSteps } from '../multi-step';
