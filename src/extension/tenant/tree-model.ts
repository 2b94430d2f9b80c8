// The tenants tree as data (DESIGN.md "Model apart from view"): tenants → jobs → runs, fetched page by
// page and cached, with a change event per node. It never imports `vscode`, so bench/tree.ts drives it
// against the emulator in plain Node; tree-provider.ts maps its nodes to TreeItems.
import {
  isScanJob,
  jobOfRun,
  SCAN_JOB_FILTER,
  type JobRecord,
  type QueryPage,
  type RunRecord,
} from '../../core/tenant';

/** What the model asks of a tenant; `TenantClient` fits. */
export interface TenantApi {
  jobs: {
    query(q: {
      filter?: string;
      pageSize?: number;
      cookie?: string;
      sortKeys?: string[];
    }): Promise<QueryPage<JobRecord>>;
  };
  runs: {
    list(options?: { job?: string }): Promise<RunRecord[]>;
    /** The run's job: its `name`, or the job this session executed it for (OpenIDM runs have no name, §4.1). */
    jobOf?(run: RunRecord): string | undefined;
  };
}

export interface TenantEntry {
  name: string;
  environment: string;
  baseUrl: string;
  local: boolean;
}

export interface TenantNode {
  kind: 'tenant';
  id: string;
  tenant: TenantEntry;
}
export interface JobNode {
  kind: 'job';
  id: string;
  tenant: string;
  job: JobRecord;
  /** A task-scanner job (idm-api.md §5.1); other job types are listed but marked. */
  scan: boolean;
}
export interface RunNode {
  kind: 'run';
  id: string;
  tenant: string;
  run: RunRecord;
  /** The run's job when known (`TenantApi.runs.jobOf`). */
  job?: string;
}
export interface MoreNode {
  kind: 'more';
  id: string;
  tenant: string;
  /** The node whose list this continues; undefined for the Runs view's root list. */
  parent: TenantNode | JobNode | undefined;
}
export interface NoticeNode {
  kind: 'notice';
  id: string;
  tenant: string;
  message: string;
  error: boolean;
}
export type TreeNode = TenantNode | JobNode | RunNode | MoreNode | NoticeNode;

// Scan jobs first: two filtered queries in turn, each paged by the server (idm-api.md §3.1).
const PHASES = [SCAN_JOB_FILTER, `!(${SCAN_JOB_FILTER})`];

interface JobList {
  nodes: JobNode[];
  phase: number;
  cookie: string | undefined;
  done: boolean;
  more: MoreNode;
  error?: string;
}

interface RunList {
  /** Newest first. */
  runs: RunRecord[];
  error?: string;
  /** What the listing failed with, for a command to report as it is (a refused connection, a 401). */
  failure?: unknown;
}

export interface TreeModelOptions {
  jobPageSize?: number;
  runPageSize?: number;
  /** Told after each read of a tenant's jobs or runs: undefined when it answered, else why not. */
  onReach?: (tenant: string, failure: string | undefined) => void;
}

type Listener = (node: TreeNode | undefined) => void;

export class TenantTreeModel {
  private readonly listeners = new Set<Listener>();
  private readonly onReach: (tenant: string, failure: string | undefined) => void;
  private tenantNodes = new Map<string, TenantNode>();
  private jobLists = new Map<string, Promise<JobList>>();
  /** The same lists, readable synchronously (they fill in as pages arrive). */
  private resolvedJobs = new Map<string, JobList>();
  private runLists = new Map<string, Promise<RunList>>();
  /** Run nodes by tenant and run id: a changed run updates its node in place. */
  private runNodes = new Map<string, RunNode>();
  /** How many runs each list shows (job id or `runs:<tenant>`), grown by "Load more". */
  private shown = new Map<string, number>();
  private readonly jobPageSize: number;
  private readonly runPageSize: number;

  constructor(
    private readonly tenants: () => TenantEntry[],
    private readonly api: (tenant: string) => Promise<TenantApi>,
    options: TreeModelOptions = {},
  ) {
    this.onReach = options.onReach ?? (() => undefined);
    this.jobPageSize = options.jobPageSize ?? 50;
    this.runPageSize = options.runPageSize ?? 25;
  }

  onDidChange(listener: Listener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private fire(node: TreeNode | undefined): void {
    for (const l of [...this.listeners]) l(node);
  }

  roots(): TenantNode[] {
    const next = new Map<string, TenantNode>();
    for (const t of this.tenants()) {
      const old = this.tenantNodes.get(t.name);
      const node: TenantNode =
        old && old.tenant.baseUrl === t.baseUrl && old.tenant.environment === t.environment
          ? old
          : { kind: 'tenant', id: `tenant:${t.name}`, tenant: t };
      next.set(t.name, node);
    }
    this.tenantNodes = next;
    return [...next.values()];
  }

  tenantNode(name: string): TenantNode | undefined {
    return this.tenantNodes.get(name);
  }

  async children(node: TreeNode | undefined): Promise<TreeNode[]> {
    if (!node) return this.roots();
    if (node.kind === 'tenant') return this.jobChildren(node);
    if (node.kind === 'job') return this.runChildren(node.tenant, node.job._id, node);
    return [];
  }

  /** The Runs view: every run of one tenant, newest first. */
  runsOf(tenant: string): Promise<TreeNode[]> {
    return this.runChildren(tenant, undefined, undefined);
  }

  private async jobChildren(node: TenantNode): Promise<TreeNode[]> {
    const list = await this.jobList(node);
    const out: TreeNode[] = [...list.nodes];
    if (list.error)
      out.push({
        kind: 'notice',
        id: `${node.id}:error`,
        tenant: node.tenant.name,
        message: list.error,
        error: true,
      });
    else if (!list.done) out.push(list.more);
    else if (list.nodes.length === 0)
      out.push({
        kind: 'notice',
        id: `${node.id}:empty`,
        tenant: node.tenant.name,
        message: 'No jobs on this tenant',
        error: false,
      });
    return out;
  }

  private jobList(node: TenantNode): Promise<JobList> {
    let list = this.jobLists.get(node.tenant.name);
    if (!list) {
      const fresh: JobList = {
        nodes: [],
        phase: 0,
        cookie: undefined,
        done: false,
        more: { kind: 'more', id: `${node.id}:more`, tenant: node.tenant.name, parent: node },
      };
      list = this.nextJobPage(node.tenant.name, fresh).then(() => fresh);
      this.jobLists.set(node.tenant.name, list);
      this.resolvedJobs.set(node.tenant.name, fresh);
    }
    return list;
  }

  /** Fetches one more page of jobs (crossing from scan jobs to other jobs when the first run out). */
  private async nextJobPage(tenant: string, list: JobList): Promise<void> {
    try {
      const api = await this.api(tenant);
      let want = this.jobPageSize;
      while (want > 0 && list.phase < PHASES.length) {
        const page = await api.jobs.query({
          filter: PHASES[list.phase],
          pageSize: want,
          cookie: list.cookie,
          sortKeys: ['_id'],
        });
        for (const job of page.result) {
          list.nodes.push({ kind: 'job', id: `job:${tenant}:${job._id}`, tenant, job, scan: isScanJob(job) });
        }
        want -= page.result.length;
        if (page.pagedResultsCookie && page.result.length > 0) list.cookie = page.pagedResultsCookie;
        else {
          list.phase++;
          list.cookie = undefined;
        }
      }
      list.done = list.phase >= PHASES.length;
      list.error = undefined;
    } catch (err) {
      list.error = err instanceof Error ? err.message : String(err);
    }
    this.onReach(tenant, list.error);
  }

  private runList(tenant: string): Promise<RunList> {
    let list = this.runLists.get(tenant);
    if (!list) {
      list = this.api(tenant)
        .then((api) => api.runs.list())
        .then(
          (runs): RunList => ({ runs: runs.slice().reverse() }),
          (err: unknown): RunList => ({
            runs: [],
            error: err instanceof Error ? err.message : String(err),
            failure: err,
          }),
        )
        .then((l) => {
          this.onReach(tenant, l.error);
          return l;
        });
      this.runLists.set(tenant, list);
    }
    return list;
  }

  private async runChildren(
    tenant: string,
    job: string | undefined,
    parent: JobNode | undefined,
  ): Promise<TreeNode[]> {
    const list = await this.runList(tenant);
    const key = parent?.id ?? `runs:${tenant}`;
    if (list.error) return [{ kind: 'notice', id: `${key}:error`, tenant, message: list.error, error: true }];
    const api = await this.api(tenant);
    const jobOf = (r: RunRecord) => api.runs.jobOf?.(r) ?? jobOfRun(r);
    const all = job === undefined ? list.runs : list.runs.filter((r) => jobOf(r) === job);
    if (all.length === 0)
      return [{ kind: 'notice', id: `${key}:empty`, tenant, message: 'No runs', error: false }];
    const count = this.shown.get(key) ?? this.runPageSize;
    const out: TreeNode[] = all.slice(0, count).map((r) => this.runNode(tenant, r, jobOf(r)));
    if (all.length > count) out.push({ kind: 'more', id: `${key}:more`, tenant, parent });
    return out;
  }

  private runNode(tenant: string, run: RunRecord, job?: string): RunNode {
    const id = `run:${tenant}:${run._id}`;
    let node = this.runNodes.get(id);
    if (!node) {
      node = { kind: 'run', id, tenant, run, job };
      this.runNodes.set(id, node);
    } else node.run = run;
    return node;
  }

  /** "Load more" was chosen: grow the list it ends and refresh its parent only. */
  async loadMore(more: MoreNode): Promise<void> {
    if (more.parent?.kind === 'tenant') {
      const list = await this.jobList(more.parent);
      await this.nextJobPage(more.tenant, list);
    } else {
      const key = more.parent?.id ?? `runs:${more.tenant}`;
      this.shown.set(key, (this.shown.get(key) ?? this.runPageSize) + this.runPageSize);
    }
    this.fire(more.parent);
  }

  /** Forgets what was fetched under a node (or everything) and says so for that node only. */
  refresh(node?: TenantNode | JobNode): void {
    if (!node) {
      this.jobLists.clear();
      this.resolvedJobs.clear();
      this.runLists.clear();
      this.shown.clear();
    } else if (node.kind === 'tenant') {
      this.jobLists.delete(node.tenant.name);
      this.resolvedJobs.delete(node.tenant.name);
      this.runLists.delete(node.tenant.name);
    } else {
      this.runLists.delete(node.tenant);
    }
    this.fire(node);
  }

  /** Forgets one tenant's runs (a run started or a run list changed); jobs stay cached. */
  forgetRuns(tenant: string): void {
    this.runLists.delete(tenant);
    for (const key of [...this.runNodes.keys()])
      if (key.startsWith(`run:${tenant}:`)) this.runNodes.delete(key);
  }

  /**
   * A watched run changed: the node already shown is updated in place and only it is refreshed; a run
   * the tree has not seen refreshes its job's node (and the Runs view, through `undefined` listeners).
   */
  async updateRun(tenant: string, run: RunRecord): Promise<RunNode | undefined> {
    const node = this.runNodes.get(`run:${tenant}:${run._id}`);
    const list = this.runLists.get(tenant) ? await this.runLists.get(tenant) : undefined;
    if (list && !list.error) {
      const i = list.runs.findIndex((r) => r._id === run._id);
      if (i >= 0) list.runs[i] = run;
      else list.runs.unshift(run);
    }
    if (node) {
      node.run = run;
      this.fire(node);
      return node;
    }
    const job = (await this.api(tenant)).runs.jobOf?.(run) ?? jobOfRun(run);
    const jobNode = job ? this.findJobNode(tenant, job) : undefined;
    this.fire(jobNode ?? this.tenantNodes.get(tenant));
    return undefined;
  }

  /** Something the tree shows about a run changed outside its record (a cancel asked for): redraw it. */
  touchRun(tenant: string, runId: string): void {
    const node = this.runNodes.get(`run:${tenant}:${runId}`);
    if (node) this.fire(node);
  }

  /** Redraws every run item of a tenant (what the run history knows of them changed). */
  touchRuns(tenant: string): void {
    for (const [key, node] of this.runNodes) if (key.startsWith(`run:${tenant}:`)) this.fire(node);
  }

  findJobNode(tenant: string, job: string): JobNode | undefined {
    const list = this.resolvedJobs.get(tenant);
    return list?.nodes.find((n) => n.job._id === job);
  }

  /** Active runs the tree has seen, for Cancel Run's quick pick and for watching while visible. */
  /**
   * The tenant's runs, newest first, for a command. A listing that failed throws what it failed with:
   * a command must not say "no runs" of a tenant it could not read (the views show the error instead).
   */
  async runs(tenant: string): Promise<RunRecord[]> {
    const list = await this.runList(tenant);
    if (list.error === undefined) return list.runs;
    this.runLists.delete(tenant); // read again next time: the tenant may answer by then
    throw list.failure;
  }

  async activeRuns(tenant: string): Promise<RunRecord[]> {
    return (await this.runs(tenant)).filter(
      (r) => r.progress.state === 'ACTIVE' || r.progress.state === 'INITIALIZED',
    );
  }
}
