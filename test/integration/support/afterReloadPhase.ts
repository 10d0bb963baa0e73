// Marks the extension host of the harness's second phase (see afterReloadIndex.ts): afterReload.test.ts
// registers its tests only there, so the first phase's index (every *.test.js) leaves it out.
export const AFTER_RELOAD_PHASE = '__studyteamAfterReloadPhase';

export function isAfterReloadPhase(): boolean {
  return (globalThis as Record<string, unknown>)[AFTER_RELOAD_PHASE] === true;
}
