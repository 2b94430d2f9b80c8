// Starts the real VS Code used by our extension tests and opens a window on it
// (shared/spec/vscode-testing.md §3): the VS Code server build from the npm package code-server, run
// by Node 24, with Debian's chromium driven by playwright-core as the window. Used by the extension
// test runner, the UI test and the activation benchmark.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(new URL('../..', import.meta.url).pathname);
export const hostDir = path.resolve(root, process.env.VSCODE_HOST_DIR || '.vscode-test-host');
const NODE = path.join(hostDir, 'node24/node_modules/node/bin/node');
const SERVER = path.join(hostDir, 'server/node_modules/code-server/lib/vscode/out/server-main.js');

/** Why the host cannot run, or undefined when it can. */
export function missingHost() {
  if (!existsSync(NODE) || !existsSync(SERVER))
    return `VS Code host not installed in ${hostDir}: run scripts/install-vscode-host.sh`;
  const chromium = process.env.CHROMIUM || '/usr/bin/chromium';
  if (!existsSync(chromium)) return `chromium not found at ${chromium}: run scripts/install-vscode-host.sh`;
  return undefined;
}

/**
 * Installs a .vsix with the VS Code server's own installer into a scratch extensions folder and
 * returns the installed extension's folder, the Node that runs the server, and dispose().
 */
export function installVsix(vsix) {
  const data = mkdtempSync(path.join(os.tmpdir(), 'scanjobs-install-'));
  const env = { ...process.env, TMPDIR: data, XDG_CACHE_HOME: path.join(data, 'cache') };
  execFileSync(
    NODE,
    [
      SERVER,
      '--accept-server-license-terms',
      '--server-data-dir',
      data,
      '--extensions-dir',
      path.join(data, 'ext'),
      '--install-extension',
      path.resolve(vsix),
    ],
    { stdio: 'pipe', env },
  );
  const dir = readdirSync(path.join(data, 'ext')).find((d) => d.startsWith('scanjobs.scanjobs-'));
  if (!dir) throw new Error(`the server installed no scanjobs.scanjobs from ${vsix}`);
  return {
    dir: path.join(data, 'ext', dir),
    node: NODE,
    dispose: () => rmSync(data, { recursive: true, force: true }),
  };
}

/**
 * Starts a VS Code server on 127.0.0.1 with a scratch data folder; every file it writes (IPC sockets,
 * device id, chromium crash folders) stays in that folder, removed by stop().
 * vsix: .vsix files installed into the server before it starts; settings: the user's settings.json;
 * env: extra environment for the server (e.g. VSCODE_SKIP_BUILTIN_EXTENSIONS, a comma-separated list
 * of built-in extensions the server then does not load).
 */
export async function startServer({ vsix = [], settings, env: extraEnv = {} } = {}) {
  const data = mkdtempSync(path.join(os.tmpdir(), 'scanjobs-vscode-'));
  if (settings) {
    mkdirSync(path.join(data, 'user', 'User'), { recursive: true });
    writeFileSync(path.join(data, 'user', 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  }
  const common = [
    '--accept-server-license-terms',
    '--disable-telemetry',
    '--server-data-dir',
    data,
    '--user-data-dir',
    path.join(data, 'user'),
    '--extensions-dir',
    path.join(data, 'ext'),
  ];
  const env = {
    ...process.env,
    TMPDIR: data,
    XDG_CACHE_HOME: path.join(data, 'cache'),
    XDG_CONFIG_HOME: path.join(data, 'config'),
    ...extraEnv,
  };
  for (const file of vsix)
    execFileSync(NODE, [SERVER, ...common, '--install-extension', path.resolve(file)], {
      stdio: 'pipe',
      env,
    });
  // --enable-smoke-test-driver: a built workbench honours the test payload in the URL only with it (§ "How it works").
  const server = spawn(
    NODE,
    [
      SERVER,
      ...common,
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--without-connection-token',
      '--enable-smoke-test-driver',
    ],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env },
  );
  let log = '';
  const stop = () => {
    try {
      process.kill(-server.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
    rmSync(data, { recursive: true, force: true });
  };
  try {
    const port = await new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('VS Code server did not start within 60 s:\n' + log)),
        60000,
      );
      const onData = (d) => {
        log += d;
        const m = /Extension host agent listening on (\d+)/.exec(log);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      };
      server.stdout.on('data', onData);
      server.stderr.on('data', onData);
      server.on('exit', (c) => {
        clearTimeout(timer);
        reject(new Error(`VS Code server exited (${c}):\n` + log));
      });
    });
    return { authority: `127.0.0.1:${port}`, env, stop, log: () => log };
  } catch (e) {
    stop();
    throw e;
  }
}

/** The workbench URL opening `folder`, with extension development/test paths in the payload. */
export function workbenchUrl(authority, { folder, extensionPath, testsPath }) {
  const remote = (p) => `vscode-remote://${authority}${path.resolve(p)}`;
  const payload = [];
  if (extensionPath) payload.push(['extensionDevelopmentPath', remote(extensionPath)]);
  if (testsPath) payload.push(['extensionTestsPath', remote(testsPath)]);
  let url = `http://${authority}/?folder=${encodeURIComponent(path.resolve(folder))}`;
  if (payload.length) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

export async function launchBrowser(env) {
  const require = createRequire(path.join(hostDir, 'server', 'package.json'));
  const { chromium } = require('playwright-core');
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    env,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** Workbench log lines that say nothing about the extension: start-up steps, and the gallery, GitHub and
 * telemetry look-ups that fail offline (spec/vscode-testing.md "Harmless noise"). */
const WORKBENCH_CHATTER =
  /^(\[(AgentHost|ChatModelSelection|AccountPolicyGate|reconnection-grace-time|Service Worker)|Resolving connection token|Resolved connection token|Creating a socket|Updating additional builtin|Creation of workbench contribution|Timed out waiting for authentication provider)|getaddrinfo ENOTFOUND/;

/**
 * Opens `folder` in a fresh server with the extension under development, runs the mocha module at
 * testsPath in its extension host and resolves with { code, lines } once the workbench reports the
 * exit code; lines are the extension host's console lines (workbench chatter filtered out).
 */
export async function runInVSCode({
  folder,
  extensionPath = root,
  testsPath,
  timeoutMs = 300000,
  shot,
  echo = true,
  settings,
  env,
}) {
  const server = await startServer({ settings, env });
  const browser = await launchBrowser(server.env);
  const lines = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 850 } });
    const code = await new Promise((resolve) => {
      const timer = setTimeout(() => {
        lines.push(`timed out after ${timeoutMs} ms`);
        resolve(124);
      }, timeoutMs);
      void (async () => {
        await page.exposeFunction('codeAutomationLog', (type, args) => {
          const text = args.join(' ');
          if (WORKBENCH_CHATTER.test(text)) return;
          lines.push(text);
          if (echo) (console[type] || console.log)(...args);
        });
        await page.exposeFunction('codeAutomationExit', (c) => {
          clearTimeout(timer);
          resolve(c);
        });
        await page.goto(workbenchUrl(server.authority, { folder, extensionPath, testsPath }));
      })().catch((e) => {
        clearTimeout(timer);
        lines.push(String(e));
        resolve(2);
      });
    });
    if (shot) await page.screenshot({ path: shot }).catch(() => {});
    return { code, lines };
  } finally {
    await browser.close();
    server.stop();
  }
}

export { root };
