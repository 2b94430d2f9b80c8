// The extension ships as three bundles (DESIGN.md "Lazy and small"): dist/extension.js holds only
// activation, the command registry and the context keys; the editor features and the tenant side
// are bundles of their own, read from disk the first time they are needed. Loading 1 MB of code
// at activation cost ~150 ms in the host; this keeps activation to the small shell.
import { createRequire } from 'node:module';
import type * as EditorPart from './editor/part';
import type * as TenantPart from './tenant/part';

interface Parts {
  editor: typeof EditorPart;
  tenant: typeof TenantPart;
}

const cache = new Map<keyof Parts, Promise<unknown>>();

/** Loads dist/extension-<name>.js (built from src/extension/<name>/part.ts by scripts/build.mjs). */
export function loadPart<K extends keyof Parts>(name: K): Promise<Parts[K]> {
  let part = cache.get(name);
  if (!part) {
    // A computed path: esbuild leaves this require to run time instead of bundling the part here.
    part = Promise.resolve().then(() => createRequire(__filename)(`./extension-${name}.js`));
    cache.set(name, part);
  }
  return part as Promise<Parts[K]>;
}

/** The parts loaded so far (for tests and bench/activation). */
export function loadedParts(): (keyof Parts)[] {
  return [...cache.keys()];
}
