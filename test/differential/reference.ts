// The Java reference for the differential lane: builds test/differential/java/QueryFilterReference.java
// against the upstream jars Maven resolves (pom.xml; nothing is committed but the source), then keeps
// one JVM running and talks to it over stdin/stdout, one JSON line per request, in batches.

import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const here = __dirname;
const repoRoot = path.resolve(here, '..', '..');
const javaDir = path.join(here, 'java');
const buildDir = path.join(repoRoot, '.cache', 'differential');
const classpathFile = path.join(buildDir, 'classpath.txt');
const classesDir = path.join(buildDir, 'classes');

/** `java`/`javac` from $SCANJOBS_JAVA_HOME/bin when set, else from the PATH. */
function tool(name: string): string {
  const home = process.env.SCANJOBS_JAVA_HOME;
  return home ? path.join(home, 'bin', name) : name;
}

/** The JDK the platform's servers run; Double.toString and the Unicode tables differ in other releases. */
export const REQUIRED_JAVA = 17;

export type Availability = { ok: true; classpath: string } | { ok: false; reason: string };

function run(cmd: string, args: string[], timeoutMs: number): { ok: boolean; out: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: timeoutMs, cwd: javaDir });
  if (r.error) return { ok: false, out: r.error.message };
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

function javaMajor(): number | string {
  const r = run(tool('java'), ['-version'], 30_000);
  if (!r.ok) return `\`java -version\` failed: ${r.out.trim().split('\n')[0] ?? ''}`;
  const m = /version "(\d+)/.exec(r.out);
  return m ? Number(m[1]) : `cannot read the Java version from: ${r.out.trim().split('\n')[0]}`;
}

function newer(a: string, b: string): boolean {
  return !existsSync(b) || statSync(a).mtimeMs > statSync(b).mtimeMs;
}

/**
 * Resolves the upstream jars with Maven (offline first, then from the repository Maven is configured
 * with) and compiles the harness when its source or pom changed. Returns why not when it cannot.
 */
export function prepareReference(): Availability {
  const major = javaMajor();
  if (typeof major === 'string') return { ok: false, reason: `Java not available: ${major}` };
  if (major !== REQUIRED_JAVA)
    return {
      ok: false,
      reason: `Java ${REQUIRED_JAVA} is required (the platform's runtime); found Java ${major}`,
    };
  mkdirSync(buildDir, { recursive: true });
  const pom = path.join(javaDir, 'pom.xml');
  if (newer(pom, classpathFile)) {
    const args = ['-q', '-B', '-f', pom, 'dependency:build-classpath', `-Dmdep.outputFile=${classpathFile}`];
    let r = run('mvn', ['-o', ...args], 300_000);
    if (!r.ok) r = run('mvn', args, 600_000);
    if (!r.ok)
      return {
        ok: false,
        reason: `Maven could not resolve the upstream jars (${r.out.trim().split('\n').slice(-3).join(' ')})`,
      };
  }
  const classpath = readFileSync(classpathFile, 'utf8').trim();
  const source = path.join(javaDir, 'QueryFilterReference.java');
  const compiled = path.join(classesDir, 'QueryFilterReference.class');
  if (newer(source, compiled) || newer(classpathFile, compiled)) {
    const r = run(tool('javac'), ['-nowarn', '-d', classesDir, '-cp', classpath, source], 300_000);
    if (!r.ok) return { ok: false, reason: `javac failed: ${r.out.trim()}` };
    writeFileSync(path.join(buildDir, 'built-with.txt'), `Java ${major}\n`);
  }
  return { ok: true, classpath: `${classesDir}${path.delimiter}${classpath}` };
}

export interface JavaParse {
  ok: boolean;
  /** toString() of the parsed filter. */
  s?: string;
  /** toString() threw: exception class and message. */
  te?: string;
  /** exception class (fully qualified) and message when not ok. */
  k?: string;
  m?: string | null;
}

export interface JavaEval extends JavaParse {
  r?: boolean;
  phase?: 'eval';
}

type Request =
  | { op: 'parse'; f: string }
  | { op: 'eval'; f: string; o: string }
  | { op: 'dtoa'; b: string[] }
  | { op: 'bench'; f: string[]; ms: number }
  | { op: 'case' }
  | { op: 'info' };

/** One long-running JVM answering requests in order. */
export class JavaReference {
  private readonly child: ChildProcessWithoutNullStreams;
  private buffer = '';
  private readonly waiting: ((line: string) => void)[] = [];
  private exited: string | undefined;

  constructor(classpath: string) {
    this.child = spawn(
      tool('java'),
      ['-XX:+UseSerialGC', '-Xss8m', '-cp', classpath, 'QueryFilterReference'],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => {
      this.buffer += chunk;
      let nl: number;
      while ((nl = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        this.waiting.shift()?.(line);
      }
    });
    this.child.stderr.resume(); // SLF4J's "no provider" notice; nothing else writes there
    this.child.on('exit', (code, signal) => {
      this.exited = `the Java reference exited (${code ?? signal})`;
      for (const w of this.waiting.splice(0)) w(JSON.stringify({ harnessError: this.exited }));
    });
  }

  /** Sends every request, then resolves with the answers in the same order. */
  async batch<T>(requests: Request[]): Promise<T[]> {
    if (this.exited) throw new Error(this.exited);
    const answers = requests.map(() => new Promise<string>((resolve) => this.waiting.push(resolve)));
    // Written in slices so a huge batch does not sit in one giant string.
    for (let i = 0; i < requests.length; i += 2000) {
      const text = requests
        .slice(i, i + 2000)
        .map((r) => JSON.stringify(r) + '\n')
        .join('');
      if (!this.child.stdin.write(text)) await new Promise((r) => this.child.stdin.once('drain', r));
    }
    const lines = await Promise.all(answers);
    return lines.map((l) => {
      const v = JSON.parse(l) as T & { harnessError?: string };
      if (v.harnessError) throw new Error(`Java reference: ${v.harnessError}`);
      return v;
    });
  }

  async one<T>(request: Request): Promise<T> {
    return (await this.batch<T>([request]))[0]!;
  }

  close(): void {
    this.child.stdin.end();
    this.child.kill();
  }
}
