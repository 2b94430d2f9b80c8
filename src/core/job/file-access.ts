// The file system behind script references, for the CLI and the extension host.
import { readFileSync, realpathSync } from 'node:fs';
import { DecodedFile, decodeJobFile } from './encoding';
import { FileAccess } from './layout';

/** A job or script file from disk, decoded as the platform's JSON reader would (encoding.ts). */
export function readJobFile(absPath: string): DecodedFile {
  return decodeJobFile(readFileSync(absPath));
}

export const nodeFileAccess: FileAccess = {
  readFile(absPath) {
    try {
      return readJobFile(absPath).text;
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
