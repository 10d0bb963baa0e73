// Every command id of the extension, once. Registrations, executeCommand calls, tree items and tests use these
// constants, so a typo is a compile error. The every-command integration test (test/integration/commands.test.ts)
// checks this list against package.json `contributes.commands` both ways. No `vscode` import.

export const Commands = {
  // Environments
  switchEnvironment: 'studyteam.switchEnvironment',
  addEnvironment: 'studyteam.addEnvironment',
  editEnvironment: 'studyteam.editEnvironment',
  removeEnvironment: 'studyteam.removeEnvironment',
  // Credentials and tokens
  setCredentials: 'studyteam.setCredentials',
  clearCredentials: 'studyteam.clearCredentials',
  copyAccessToken: 'studyteam.copyAccessToken',
  showTokenDetails: 'studyteam.showTokenDetails',
  clearTokenCache: 'studyteam.clearTokenCache',
  showLog: 'studyteam.showLog',
  openGettingStarted: 'studyteam.openGettingStarted',
  // Local sandbox
  startSandbox: 'studyteam.startSandbox',
  stopSandbox: 'studyteam.stopSandbox',
  sandboxAcknowledgeReferral: 'studyteam.sandboxAcknowledgeReferral',
  // Request panel
  newRequestPanel: 'studyteam.newRequestPanel',
  openRequestInPanel: 'studyteam.openRequestInPanel',
  keepPanelOpen: 'studyteam.keepPanelOpen',
  // Saved requests tree
  newRequest: 'studyteam.newRequest',
  newFolder: 'studyteam.newFolder',
  runSavedRequest: 'studyteam.runSavedRequest',
  runFolder: 'studyteam.runFolder',
  openSavedRequest: 'studyteam.openSavedRequest',
  renameItem: 'studyteam.renameItem',
  duplicateRequest: 'studyteam.duplicateRequest',
  moveToFolder: 'studyteam.moveToFolder',
  deleteItem: 'studyteam.deleteItem',
  copyAsCurl: 'studyteam.copyAsCurl',
  addExamples: 'studyteam.addExamples',
  importRequests: 'studyteam.importRequests',
  exportRequests: 'studyteam.exportRequests',
  // Testing (checks, Test Explorer)
  addGoLiveChecklist: 'studyteam.addGoLiveChecklist',
  // Events view
  eventsStart: 'studyteam.events.start',
  eventsPause: 'studyteam.events.pause',
  eventsRefresh: 'studyteam.events.refresh',
  eventsClear: 'studyteam.events.clear',
  eventsSetFilter: 'studyteam.events.setFilter',
  eventsShowFlat: 'studyteam.events.showFlat',
  eventsShowGrouped: 'studyteam.events.showGrouped',
  eventsShowMore: 'studyteam.events.showMore',
  eventsOpenEvent: 'studyteam.events.openEvent',
  eventsCopyEventId: 'studyteam.events.copyEventId',
  eventsCopySubjectId: 'studyteam.events.copySubjectId',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

/** Every command id (the commands test compares it with package.json). */
export const ALL_COMMAND_IDS: readonly CommandId[] = Object.values(Commands);
