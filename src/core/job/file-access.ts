// The file system behind script references, for the CLI and the extension host.
import { readFileSync, realpathSync } from 'node:fs';
import { FileAccess } from './layout';

export const nodeFileAccess: FileAccess = {
  readFile(absPath) {
    try {
      return readFileSync(absPath, 'utf8');
    } catch {
      return undefined;
    }
  },
  realPath(absPath) {
    try {
      return realpathSync(absPath);
    } catch {
      return undefined;
    }
  },
};
