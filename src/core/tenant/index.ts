// The tenant layer's public surface: what the CLI and the extension import.
export * from './errors';
export * from './types';
export * from './retry';
export { TenantTransport, normalizeBaseUrl, withoutCredentials, USER_AGENT } from './transport';
export type { TenantRequest, TenantReply, TransportOptions, Method } from './transport';
export * from './sign-in';
export { TenantClient } from './client';
export type { JobQuery, UpsertResult } from './jobs';
export { jobOfRun, runBelongsTo } from './runs';
export type { ExecuteResult, CancelResult } from './runs';
export type { ManagedObjectSchema, CompileResult } from './config';
export * from './profiles';
export * from './tenant-url';
export * from './connect';
export { redact, registerCredentials, registerSecret } from './redact';
export * from './job-diff';
export * from './job-state';
