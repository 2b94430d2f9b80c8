// Start/Stop Local Tenant: the emulator as a child process of the extension host, run by the editor's
// own runtime (DESIGN.md "Runtime notes": process.execPath with ELECTRON_RUN_AS_NODE=1), its data in
// the extension's global storage so it survives restarts. The host prints one JSON line
// {"url","port"} when it listens; it stops when its stdin closes, so it never outlives the editor.
import { ChildProcess, spawn } from 'node:child_process';
import * as vscode from 'vscode';

export const LOCAL_NAME = 'local';

export class LocalTenant implements vscode.Disposable {
  private child: ChildProcess | undefined;
  private starting: Promise<string> | undefined;
  private address: string | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly hostScript: string,
    private readonly dataDir: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  get url(): string | undefined {
    return this.address;
  }

  start(): Promise<string> {
    if (this.address) return Promise.resolve(this.address);
    this.starting ??= this.spawn().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async spawn(): Promise<string> {
    await vscode.workspace.fs.createDirectory(this.dataDir);
    const args = [this.hostScript, '--port', '0', '--data', this.dataDir.fsPath, '--seed-users', '200'];
    const child = spawn(process.execPath, args, {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', SCANJOBS_EMULATOR_STDIN_LIFELINE: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    this.child = child;
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      stderr = (stderr + d).slice(-4000);
      for (const line of d.split('\n').filter(Boolean)) this.log.trace(`[local tenant] ${line}`);
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error('the local tenant did not start within 30 s')), 30_000);
      child.stdout?.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        const line = out.split('\n').find((l) => l.trim().startsWith('{'));
        if (!line) return;
        clearTimeout(timer);
        try {
          resolve((JSON.parse(line) as { url: string }).url);
        } catch {
          reject(new Error(`the local tenant printed an unexpected first line: ${line.slice(0, 200)}`));
        }
      });
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(new Error(`cannot start the local tenant with ${process.execPath}: ${e.message}`));
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(
          new Error(`the local tenant exited (${code}) before it listened: ${stderr.trim().slice(-600)}`),
        );
      });
    }).catch((e: unknown) => {
      child.kill();
      this.child = undefined;
      throw e;
    });
    child.on('exit', (code) => {
      if (this.child !== child) return;
      this.child = undefined;
      this.address = undefined;
      this.log.info(`Local tenant stopped (exit ${code ?? 'signal'})`);
      this.changed.fire();
    });
    this.address = url;
    this.log.info(`Local tenant listening on ${url} (data in ${this.dataDir.fsPath})`);
    this.changed.fire();
    return url;
  }

  /** Resolves once the process has exited. */
  stop(): Promise<void> {
    const child = this.child;
    if (!child) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }

  dispose(): void {
    void this.stop();
    this.changed.dispose();
  }
}
