// Entry of the editor bundle (dist/extension-editor.js): everything the editor side offers the
// shell, loaded through parts.ts on first use.
export { startEditorFeatures } from './features';
export { validateJob, formatQueryFilter } from './job-commands';
export { editScript, forgetScriptLinks, restoreScriptLinks } from './script-editing';
export { addScriptTypes } from './script-types';
export { extractScript, inlineScript } from './script-layout';
