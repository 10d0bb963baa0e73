// Set Credentials asks for the whole triple StudyTeam hands out — client ID, client secret, audience — driven
// through the real workbench's quick input as a user types it (issue 14; issue 13's credential items):
// the active environment is preselected, the audience is prefilled and lands in settings, the secret only
// in SecretStorage; the status-bar tooltip offers "Set credentials…"; the saved-credentials confirmation
// appears even when the token check fails; the 403 for a wrong audience offers "Edit audience…".
// (Named to run after extension.test.ts, which checks that activation requested no token yet.)
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { StudyTeamApi } from '../../src/api';
import { Commands } from '../../src/commandIds';
import { SandboxServer } from '../../src/sandbox/sandboxServer';
import { acceptQuickInput, typeInQuickInput, waitForQuickInput } from './support/quickInput';
import { studyTeamApi, waitUntil } from './support/studyteam';
import { clickNotificationAction, screenshot, uiDriverAvailable, waitForNotification } from './support/uiDriver';

const ENV_ID = 'triple';
const ENV_NAME = 'Triple check';

describe('credentials triple: Set Credentials asks for client ID, secret and audience', function () {
  this.timeout(90_000);
  let api: StudyTeamApi;
  let sandbox: SandboxServer;
  let audience: string;
  let previousActive: string;

  function configuredEntry(): Record<string, unknown> | undefined {
    const list = vscode.workspace.getConfiguration('studyteam').get<Array<Record<string, unknown>>>('environments') ?? [];
    return list.find((e) => e.id === ENV_ID);
  }

  function settingsFilesText(): string {
    const files = [
      join(process.env.STUDYTEAM_TEST_USER_DATA_DIR ?? '', 'User', 'settings.json'),
      join(process.env.STUDYTEAM_TEST_WORKSPACE ?? '', '.vscode', 'settings.json'),
    ];
    return files.filter((f) => existsSync(f)).map((f) => readFileSync(f, 'utf8')).join('\n');
  }

  /** Runs Set Credentials from the palette's point of view: no arguments, every answer typed. */
  async function setCredentialsThroughUi(clientId: string, secret: string, typedAudience: string | undefined): Promise<boolean | undefined> {
    const done = vscode.commands.executeCommand<boolean>(Commands.setCredentials);
    const picker = await waitForQuickInput('the environment picker', (s) => s.items.length > 1);
    const focused = picker.items.find((i) => i.focused);
    assert.ok(focused?.label.includes(ENV_NAME), `the active environment is preselected; focused: ${JSON.stringify(focused)} of ${JSON.stringify(picker.items.map((i) => i.label))}`);
    await acceptQuickInput();
    await waitForQuickInput('step 1/3 (client ID)', (s) => s.title.includes(`${ENV_NAME} (1/3)`));
    await typeInQuickInput(clientId);
    await acceptQuickInput();
    const step2 = await waitForQuickInput('step 2/3 (client secret)', (s) => s.title.includes(`${ENV_NAME} (2/3)`));
    assert.equal(step2.password, true, 'the secret is typed into a password field');
    await typeInQuickInput(secret);
    await acceptQuickInput();
    const step3 = await waitForQuickInput('step 3/3 (audience)', (s) => s.title.includes(`${ENV_NAME} (3/3)`));
    assert.equal(step3.password, false);
    assert.match(step3.message, /Audience/);
    const env = api.environments.get(ENV_ID)!;
    assert.equal(step3.value, env.audience ?? new URL(env.baseUrl).origin, 'prefilled with the audience in use');
    if (typedAudience !== undefined) await typeInQuickInput(typedAudience);
    await screenshot('credential-triple-step3.png');
    await acceptQuickInput();
    return done;
  }

  before(async function () {
    if (!uiDriverAvailable()) this.skip();
    api = await studyTeamApi();
    previousActive = api.environments.active().id;
    audience = `urn:studyteam:triple-${Date.now()}`;
    // The client may only ask for this audience: the default one (the base URL) gets a 403.
    sandbox = await SandboxServer.start({ audience, name: ENV_NAME });
    await vscode.commands.executeCommand(Commands.addEnvironment, { id: ENV_ID, name: ENV_NAME, baseUrl: sandbox.url });
    await vscode.commands.executeCommand(Commands.switchEnvironment, ENV_ID);
  });

  // The workbench shows at most three toasts: start each test with none.
  beforeEach(async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  after(async () => {
    if (!api) return;
    if (api.environments.get(ENV_ID)) await vscode.commands.executeCommand(Commands.removeEnvironment, ENV_ID, { skipConfirmation: true });
    if (api.environments.get(previousActive)) await vscode.commands.executeCommand(Commands.switchEnvironment, previousActive);
    await sandbox?.stop();
  });

  it('the status-bar tooltip offers "Set credentials…" while the active environment has none', async () => {
    await waitUntil('the tooltip to offer Set credentials…', () => /no credentials/.test(api.statusBar.tooltipText) && /Set credentials…\]\(command:studyteam\.setCredentials\?/.test(api.statusBar.tooltipText));
    assert.ok(api.statusBar.tooltipText.includes(encodeURIComponent(JSON.stringify([ENV_ID]))), api.statusBar.tooltipText);
  });

  it('three typed steps: the secret goes to SecretStorage only, the audience to the environment settings, and the token check passes', async () => {
    const client = sandbox.clients[0]!;
    const tokensBefore = sandbox.counters.tokenRequests;
    assert.equal(await setCredentialsThroughUi(client.clientId, client.clientSecret, audience), true);
    const toast = await waitForNotification(`${ENV_NAME} credentials saved`);
    assert.match(toast.message, new RegExp(`audience ${audience} saved in settings — they work`));
    assert.equal(sandbox.counters.tokenRequests - tokensBefore, 1, 'one token request to check them');
    assert.equal(configuredEntry()?.audience, audience, 'the audience is in studyteam.environments');
    assert.equal(api.environments.get(ENV_ID)?.audience, audience);
    assert.equal((await api.credentials.summary(ENV_ID))?.clientId, client.clientId, 'client ID in SecretStorage');
    assert.deepEqual(await api.credentials.get(api.environments.get(ENV_ID)!), { clientId: client.clientId, clientSecret: client.clientSecret });
    const settings = `${settingsFilesText()}\n${JSON.stringify(vscode.workspace.getConfiguration('studyteam'))}`;
    assert.ok(settings.includes(audience), 'the audience is written to a settings file');
    assert.ok(!settings.includes(client.clientSecret), 'the client secret is in a settings file');
    assert.ok(!settings.includes(client.clientId), 'the client ID is in a settings file');
    await waitUntil('the tooltip to stop offering credentials', () => !/Set credentials…/.test(api.statusBar.tooltipText));
  });

  it('a wrong secret: "saved" is still confirmed next to the token error', async () => {
    const client = sandbox.clients[0]!;
    const wrong = `wrong-${'y'.repeat(40)}`;
    assert.equal(await setCredentialsThroughUi(client.clientId, wrong, undefined), true);
    const saved = await waitForNotification(`${ENV_NAME} credentials saved`);
    assert.match(saved.message, /but the token check did not succeed/);
    const error = await waitForNotification('access_denied');
    assert.ok(!error.message.includes(wrong) && !saved.message.includes(wrong));
    assert.equal((await api.credentials.get(api.environments.get(ENV_ID)!))?.clientSecret, wrong, 'the typed secret was saved');
    assert.equal(configuredEntry()?.audience, audience, 'leaving the prefilled audience changes nothing');
    await vscode.commands.executeCommand(Commands.setCredentials, ENV_ID, { clientId: client.clientId, clientSecret: client.clientSecret });
  });

  it('a 403 for the audience offers "Edit audience…", which opens the audience prefilled and fixes the calls', async () => {
    const client = sandbox.clients[0]!;
    // The user types an audience the client is not granted: the token check answers 403.
    assert.equal(await setCredentialsThroughUi(client.clientId, client.clientSecret, 'urn:studyteam:not-granted'), true);
    assert.equal(configuredEntry()?.audience, 'urn:studyteam:not-granted');
    const toast = await waitForNotification('not authorised for the audience');
    assert.match(toast.message, /403 access_denied.*"urn:studyteam:not-granted"/);
    assert.deepEqual(toast.actions.slice(0, 2), ['Edit audience…', 'Set Credentials…']);
    await waitForNotification(`${ENV_NAME} credentials saved`);
    await clickNotificationAction('not authorised for the audience', 'Edit audience…');
    const input = await waitForQuickInput('the audience field', (s) => s.title.includes(`Edit ${ENV_NAME}: audience`));
    assert.equal(input.value, 'urn:studyteam:not-granted', 'prefilled with the audience in use');
    await typeInQuickInput(audience);
    await acceptQuickInput();
    await waitUntil('the audience to be saved', () => configuredEntry()?.audience === audience);
    await api.auth.clear(ENV_ID);
    const fixed = await api.services.runRequest({ method: 'GET', url: '/rpi/sites', auth: 'bearer' }, { environment: api.environments.get(ENV_ID), showProgress: false });
    assert.ok(fixed.ok && fixed.response.status === 200, 'calls work with the edited audience');
  });
});
