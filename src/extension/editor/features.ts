import type { Shell } from '../shell';

export interface EditorFeatures {
  readonly shell: Shell;
}

export function startEditorFeatures(shell: Shell): EditorFeatures {
  return { shell };
}
