import type { Platform } from '../job/types';
import { CrestError } from './errors';
import { ManagedObjectSchema, ScheduleConfigs, compileScript, managedSchemas, CompileResult } from './config';
import { SchedulerJobs } from './jobs';
import { TaskScannerRuns } from './runs';
import type { SignIn } from './sign-in';
import { TenantTransport, TransportOptions } from './transport';

/** Everything the product asks of one tenant, over one keep-alive connection pool. */
export class TenantClient {
  readonly http: TenantTransport;
  readonly jobs: SchedulerJobs;
  readonly runs: TaskScannerRuns;
  readonly scheduleConfigs: ScheduleConfigs;

  constructor(baseUrl: string, signIn: SignIn, options: TransportOptions = {}) {
    this.http = new TenantTransport(baseUrl, signIn, options);
    this.jobs = new SchedulerJobs(this.http);
    this.runs = new TaskScannerRuns(this.http, options.retry);
    this.scheduleConfigs = new ScheduleConfigs(this.http);
  }

  get label(): string {
    return this.http.label;
  }

  managedSchemas(signal?: AbortSignal): Promise<ManagedObjectSchema[]> {
    return managedSchemas(this.http, signal);
  }

  compileScript(source: string, signal?: AbortSignal): Promise<CompileResult> {
    return compileScript(this.http, source, signal);
  }

  /**
   * Whether this tenant is the OpenIDM fork: the profile's platform when it says, else told by the
   * run listing (its query answers 501, idm-api.md §4.3). There execute reads only config schedules
   * (§4.4), so jobs are pushed to and read from `config/schedule/<name>`.
   */
  async isOpenIdm(platform?: Platform, signal?: AbortSignal): Promise<boolean> {
    if (platform) return platform === 'openidm';
    return this.runs.isOpenIdmFork(signal).catch(() => false);
  }

  /**
   * The job as pushed: the config schedule on OpenIDM (falling back to the scheduler's job, for one
   * pushed there), else the scheduler's job. Undefined when neither exists.
   */
  async readPushedJob(
    name: string,
    openidm: boolean,
    signal?: AbortSignal,
  ): Promise<{ job: Record<string, unknown>; config: boolean } | undefined> {
    const missing = (err: unknown) => err instanceof CrestError && err.status === 404;
    if (openidm) {
      try {
        return { job: await this.scheduleConfigs.read(name, signal), config: true };
      } catch (err) {
        if (!missing(err)) throw err;
      }
    }
    try {
      return { job: await this.jobs.read(name, signal), config: false };
    } catch (err) {
      if (missing(err)) return undefined;
      throw err;
    }
  }

  close(): Promise<void> {
    return this.http.close();
  }
}
