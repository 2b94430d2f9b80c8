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

  close(): Promise<void> {
    return this.http.close();
  }
}
