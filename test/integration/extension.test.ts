// The extension in a real VS Code extension host: environments, credentials in SecretStorage, status bar,
// token commands, the pinned token origin, the production guard, the local sandbox.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { StudyTeamApi } from '../../src/api';
import { SettingsEnvironmentRegistry } from '../../src/environments/environmentRegistry';
import { silentLogger } from '../../src/core/model';
import { writeFigures } from './support/safety';
import { COMMANDS_SANDBOX_ID, EVENTS_TEST_ENVIRONMENT_IDS, studyTeamApi, waitUntil, withConfirmation } from './support/studyteam';
import { pressKey, screenshot, uiDriverAvailable, waitForNotification, waitForStatusBar, workbenchEval } from './support/uiDriver';

describe('extension: environments, credentials, tokens', function () {
  this.timeout(60_000);
  let api: StudyTeamApi;

  before(async () => {
    api = await studyTeamApi();
    console.log(`    activate() took ${api.activationMs.toFixed(1)} ms, ${api.activationCpuMs.toFixed(1)} ms of CPU (its modules evaluated in ${api.loadMs.toFixed(1)} ms before it)`);
  });

  after(async () => {
    await api.sandbox.stopAll();
  });

  it('activates cheaply with the default environments and a status-bar item', () => {
    // The figure (target ≤ 15 ms) is the benchmark's `activation:` line; this bound only catches a runaway.
    const tenths = (ms: number): number => Math.round(ms * 10) / 10;
    writeFigures({ activateMs: tenths(api.activationMs), activateCpuMs: tenths(api.activationCpuMs), loadMs: tenths(api.loadMs) });
    assert.ok(api.activationMs < 500, `activate() took ${api.activationMs} ms`);
    const ids = api.environments.all().map((e) => e.id);
    assert.ok(ids.includes('staging') && ids.includes('production'), ids.join(','));
    assert.match(api.statusBar.text, /\$\(globe\) /);
    // The commands and events suites may run first and fetch tokens from their own sandboxes; nothing else may have.
    const bySuites = [COMMANDS_SANDBOX_ID, ...EVENTS_TEST_ENVIRONMENT_IDS].reduce((n, id) => n + api.auth.tokenRequestCount(id), 0);
    assert.equal(api.auth.tokenRequestCount() - bySuites, 0, 'activation must not request a token');
  });

  it('registers every command contributed in package.json', async () => {
    const pkg = JSON.parse(readFileSync(join(vscode.extensions.getExtension('studyteam.studyteam-vscode')!.extensionPath, 'package.json'), 'utf8')) as {
      contributes: { commands: { command: string }[] };
    };
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = pkg.contributes.commands.map((c) => c.command).filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  it('starts the local sandbox, stores its credentials in SecretStorage only, and switches to it', async () => {
    const env = await vscode.commands.executeCommand<{ id: string; baseUrl: string }>('studyteam.startSandbox', {});
    assert.equal(env.id, 'sandbox');
    assert.equal(api.environments.active().id, 'sandbox');
    assert.equal(await api.credentials.has('sandbox'), true);
    const secret = api.sandbox.server()!.clients[0].clientSecret;
    const clientId = api.sandbox.server()!.clients[0].clientId;
    const userSettings = join(process.env.STUDYTEAM_TEST_USER_DATA_DIR ?? '', 'User', 'settings.json');
    for (const file of [userSettings, join(process.env.STUDYTEAM_TEST_WORKSPACE ?? '', '.vscode', 'settings.json')]) {
      if (existsSync(file)) {
        const text = readFileSync(file, 'utf8');
        assert.ok(!text.includes(secret) && !text.includes(clientId), `credentials leaked into ${file}`);
      }
    }
    const config = JSON.stringify(vscode.workspace.getConfiguration('studyteam'));
    assert.ok(!config.includes(secret) && !config.includes(clientId));
    if (uiDriverAvailable()) await waitForStatusBar('Sandbox (local)');
  });

  it('switching environment updates the status bar and the persisted choice', async () => {
    await vscode.commands.executeCommand('studyteam.switchEnvironment', 'staging');
    assert.equal(api.environments.active().id, 'staging');
    assert.match(api.statusBar.text, /Staging/);
    await waitUntil('the status bar to say no credentials', () => /no credentials/.test(api.statusBar.tooltipText));
    assert.equal(api.statusBar.isProductionStyled, false);
    await vscode.commands.executeCommand('studyteam.switchEnvironment', 'production');
    assert.match(api.statusBar.text, /Production/);
    assert.equal(api.statusBar.isProductionStyled, true);
    // A fresh registry over the same workspace state sees the persisted choice.
    const reread = new SettingsEnvironmentRegistry(workspaceStateOf(api), silentLogger, () => true);
    assert.equal(reread.active().id, 'production');
    reread.dispose();
    if (uiDriverAvailable()) await waitForStatusBar('Production');
    await vscode.commands.executeCommand('studyteam.switchEnvironment', 'sandbox');
    await waitUntil('status bar to show the sandbox', () => /Sandbox/.test(api.statusBar.text));
  });

  it('fetches a token from the sandbox once, shows its details, copies it, and clearing the cache costs exactly one new request', async () => {
    const server = api.sandbox.server()!;
    server.resetCounters();
    const details = await vscode.commands.executeCommand<{ claims: Record<string, unknown>; secondsLeft: number }>('studyteam.showTokenDetails', 'sandbox');
    assert.equal(details.claims.aud, server.audience);
    assert.ok(details.secondsLeft > 800);
    assert.equal(server.counters.tokenRequests, 1);
    assert.match(api.statusBar.tooltipText, /valid until/);

    assert.equal(await vscode.commands.executeCommand('studyteam.copyAccessToken', 'sandbox', { skipWarning: true }), true);
    const copied = await vscode.env.clipboard.readText();
    assert.ok(server.issuedTokens.includes(copied), 'the clipboard holds the issued token');
    await vscode.env.clipboard.writeText('');
    assert.equal(server.counters.tokenRequests, 1, 'copy reused the cached token');

    const ok = await api.services.runRequest({ method: 'GET', url: '/rpi/sites', auth: 'bearer' }, { showProgress: false });
    assert.ok(ok.ok && ok.response.status === 200);
    assert.equal(server.counters.tokenRequests, 1);

    await vscode.commands.executeCommand('studyteam.clearTokenCache', 'sandbox');
    await Promise.all([1, 2, 3].map(() => api.services.runRequest({ method: 'GET', url: '/rpi/sites', auth: 'bearer' }, { showProgress: false })));
    assert.equal(server.counters.tokenRequests, 2, 'one new token request after clearing the cache');
  });

  it('a wrong secret gives a notification with the Auth0 description and never the secret', async () => {
    const server = api.sandbox.server()!;
    const wrong = 'wrong-secret-' + 'x'.repeat(40);
    await vscode.commands.executeCommand('studyteam.setCredentials', 'sandbox', { clientId: server.clients[0].clientId, clientSecret: wrong });
    const outcome = await api.services.runRequest({ method: 'GET', url: '/rpi/sites', auth: 'bearer' }, { showProgress: false });
    assert.equal(outcome.ok, false);
    if (outcome.ok) return;
    assert.match(outcome.message, /access_denied/);
    assert.match(outcome.message, /Unauthorized/);
    assert.ok(!outcome.message.includes(wrong));
    assert.ok(api.notifications.some((n) => n.includes('access_denied')));
    assert.ok(api.notifications.every((n) => !n.includes(wrong)));
    if (uiDriverAvailable()) {
      const toast = await waitForNotification('access_denied');
      assert.ok(!toast.message.includes(wrong));
      assert.ok(toast.actions.includes('Set Credentials…'), toast.actions.join(','));
    }
    assert.match(api.statusBar.text, /\$\(error\)/);
    await vscode.commands.executeCommand('studyteam.setCredentials', 'sandbox', {
      clientId: server.clients[0].clientId,
      clientSecret: server.clients[0].clientSecret,
    });
    const again = await api.services.runRequest({ method: 'GET', url: '/rpi/sites', auth: 'bearer' }, { showProgress: false });
    assert.ok(again.ok && again.response.status === 200, 'works again after fixing the secret');
  });

  it('clear credentials removes them from SecretStorage', async () => {
    await api.sandbox.start({ id: 'sandbox-tmp', name: 'Temp sandbox', activate: false });
    assert.equal(await api.credentials.has('sandbox-tmp'), true);
    await vscode.commands.executeCommand('studyteam.clearCredentials', 'sandbox-tmp');
    assert.equal(await api.credentials.has('sandbox-tmp'), false);
    const outcome = await api.services.runRequest({ method: 'GET', url: '/rpi/sites', auth: 'bearer' }, { environment: api.environments.get('sandbox-tmp'), showProgress: false, notifyErrors: false });
    assert.ok(!outcome.ok && /credentials/i.test(outcome.message), outcome.ok ? 'ok' : outcome.message);
    await api.sandbox.stop('sandbox-tmp');
  });

  it('changed credentials forget the environment\'s token once; the echo of our own write does not', async () => {
    const env = await api.sandbox.start({ id: 'sandbox-creds', name: 'Creds sandbox', activate: false });
    const server = api.sandbox.server('sandbox-creds')!;
    const client = server.clients[0]!;
    try {
      await api.auth.getToken(env);
      assert.ok(api.auth.peek(env), 'a token is cached');
      await vscode.commands.executeCommand('studyteam.setCredentials', env.id, { clientId: client.clientId, clientSecret: client.clientSecret });
      assert.equal(api.auth.peek(env), undefined, 'setting credentials forgets the token at once');
      const fresh = await api.auth.getToken(env);
      // SecretStorage reports our own write back later: that must not throw the new token away.
      await new Promise((resolve) => setTimeout(resolve, 600));
      assert.equal(api.auth.peek(env)?.value, fresh.value, 'the token obtained after the change is kept');
    } finally {
      await api.sandbox.stop('sandbox-creds');
    }
  });

  it('ignores workspace environment values in restricted mode', async () => {
    const config = vscode.workspace.getConfiguration('studyteam');
    const evil = [{ id: 'evil', name: 'Evil', baseUrl: 'https://evil.invalid', production: false }];
    await config.update('environments', evil, vscode.ConfigurationTarget.Workspace);
    try {
      const untrusted = new SettingsEnvironmentRegistry(workspaceStateOf(api), silentLogger, () => false);
      assert.ok(!untrusted.all().some((e) => e.id === 'evil'), 'untrusted workspace value must be ignored');
      assert.equal(untrusted.ignoredUntrustedWorkspaceValue, true);
      untrusted.dispose();
      const trusted = new SettingsEnvironmentRegistry(workspaceStateOf(api), silentLogger, () => true);
      assert.ok(trusted.all().some((e) => e.id === 'evil'), 'trusted workspace value is used');
      trusted.dispose();
    } finally {
      await config.update('environments', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('asks before sending pinned credentials to a new token origin', async () => {
    const a = await api.sandbox.start({ id: 'sandbox', activate: false });
    const b = await api.sandbox.start({ id: 'sandbox-other', name: 'Other sandbox', activate: false });
    const serverB = api.sandbox.server('sandbox-other')!;
    const creds = api.sandbox.server('sandbox')!.clients[0];
    const added = await vscode.commands.executeCommand<{ id: string }>('studyteam.addEnvironment', { id: 'pinned', name: 'Pinned', baseUrl: a.baseUrl, audience: api.sandbox.server('sandbox')!.audience });
    assert.equal(added.id, 'pinned');
    try {
      await vscode.commands.executeCommand('studyteam.setCredentials', 'pinned', { clientId: creds.clientId, clientSecret: creds.clientSecret });
      await vscode.commands.executeCommand('studyteam.editEnvironment', 'pinned', { tokenUrl: `${b.baseUrl}/oauth/token` });
      serverB.resetCounters();
      const declined = await withConfirmation(api, false, () => api.services.runRequest({ method: 'GET', url: '/rpi/sites', auth: 'bearer' }, { environment: api.environments.get('pinned'), showProgress: false, notifyErrors: false }));
      assert.match(declined.asked.join(), new RegExp(b.baseUrl.replace(/[.:/]/g, '\\$&')));
      assert.match(declined.asked.join(), new RegExp(a.baseUrl.replace(/[.:/]/g, '\\$&')));
      assert.equal(declined.result.ok, false);
      assert.equal(serverB.counters.tokenRequests, 0, 'the secret was not sent to the new origin');
      const confirmed = await withConfirmation(api, true, () => api.services.runRequest({ method: 'GET', url: '/rpi/sites', auth: 'bearer' }, { environment: api.environments.get('pinned'), showProgress: false, notifyErrors: false }));
      assert.equal(confirmed.asked.length, 1);
      assert.equal(serverB.counters.tokenRequests, 1, 'sent after confirmation');
      assert.equal(confirmed.result.ok, false, 'the other sandbox rejects these credentials');

      // Moving only the API base URL (token URL and audience unchanged) must not send a token there unasked.
      await vscode.commands.executeCommand('studyteam.editEnvironment', 'pinned', { tokenUrl: `${a.baseUrl}/oauth/token` });
      await withConfirmation(api, true, () => api.auth.getToken(api.environments.get('pinned')!));
      await vscode.commands.executeCommand('studyteam.editEnvironment', 'pinned', { baseUrl: b.baseUrl });
      serverB.resetCounters();
      const apiMoved = await withConfirmation(api, false, () => api.services.runRequest({ method: 'GET', url: '/rpi/sites', auth: 'bearer' }, { environment: api.environments.get('pinned'), showProgress: false, notifyErrors: false }));
      assert.equal(apiMoved.asked.length, 1, 'asked once');
      assert.match(apiMoved.asked[0], /API base URL now points to/);
      assert.equal(apiMoved.result.ok, false);
      assert.equal(serverB.counters.apiRequests, 0, 'no token was sent to the new API host');
    } finally {
      await vscode.commands.executeCommand('studyteam.removeEnvironment', 'pinned', { skipConfirmation: true });
      await api.sandbox.stop('sandbox-other');
    }
  });

  it('the production guard asks before anything but GET/HEAD reaches a production environment', async () => {
    await api.sandbox.start({ id: 'sandbox-prod', name: 'Prod sandbox', production: true, activate: false });
    const server = api.sandbox.server('sandbox-prod')!;
    const environment = api.environments.get('sandbox-prod');
    const post = { method: 'POST' as const, url: '/rpi/sites/1001/referrals', auth: 'bearer' as const, headers: [{ name: 'content-type', value: 'application/json' }], body: '{"referral":[{"subjectId":"SUBJ-PROD-1","primaryTrial":{"id":"TR-1001","sponsorSiteId":"SS-1001-101"},"name":[{"given":["Test"],"family":"Patient"}]}]}' };
    try {
      const get = await api.services.runRequest({ method: 'GET', url: '/rpi/sites', auth: 'bearer' }, { environment, showProgress: false });
      assert.ok(get.ok, 'GET needs no confirmation');
      server.resetCounters();
      const declined = await withConfirmation(api, false, () => api.services.runRequest(post, { environment, showProgress: false, notifyErrors: false }));
      assert.match(declined.asked.join(), /Prod sandbox/);
      assert.match(declined.asked.join(), /POST/);
      assert.match(declined.asked.join(), /\/rpi\/sites\/1001\/referrals/);
      assert.equal(declined.result.ok, false);
      assert.equal(server.counters.apiRequests, 0, 'nothing was sent');
      const sent = await withConfirmation(api, true, () => api.services.runRequest(post, { environment, showProgress: false, notifyErrors: false }));
      assert.match(sent.asked[0], /\[Send to Prod sandbox\]/);
      assert.ok(sent.result.ok && sent.result.response.status === 202, JSON.stringify(sent.result.ok ? sent.result.response.status : sent.result.message));
      // A workspace (a cloned repository) cannot turn the guard off: the setting is application-scoped.
      await vscode.workspace.getConfiguration('studyteam').update('confirmProductionWrites', false, vscode.ConfigurationTarget.Workspace).then(
        () => undefined,
        () => undefined,
      );
      assert.equal(vscode.workspace.getConfiguration('studyteam').get('confirmProductionWrites'), true);
      server.resetCounters();
      const stillGuarded = await withConfirmation(api, false, () => api.services.runRequest(post, { environment, showProgress: false, notifyErrors: false }));
      assert.equal(stillGuarded.asked.length, 1, 'still asked');
      assert.equal(server.counters.apiRequests, 0);
      await vscode.workspace.getConfiguration('studyteam').update('confirmProductionWrites', false, vscode.ConfigurationTarget.Global);
      const unguarded = await api.services.runRequest(post, { environment, showProgress: false, notifyErrors: false });
      assert.ok(unguarded.ok, 'the setting turns the guard off');
    } finally {
      await vscode.workspace.getConfiguration('studyteam').update('confirmProductionWrites', undefined, vscode.ConfigurationTarget.Global);
      await api.sandbox.stop('sandbox-prod');
    }
  });

  it('production: credentials are checked before the question, and in the real question Enter cancels', async function () {
    const env = await api.sandbox.start({ id: 'sandbox-prod2', name: 'Prod two', production: true, activate: false });
    const server = api.sandbox.server('sandbox-prod2')!;
    const client = server.clients[0]!;
    const post = { method: 'POST' as const, url: '/rpi/sites/1001/referrals', auth: 'bearer' as const, body: '{"firstName":"Test","lastName":"Patient","trialId":"TRIAL-001"}' };
    try {
      // No credentials: the run fails with "Set Credentials…" before anyone is asked "this changes real data".
      await vscode.commands.executeCommand('studyteam.clearCredentials', env.id);
      const missing = await withConfirmation(api, true, () => api.services.runRequest(post, { environment: env, showProgress: false, notifyErrors: false }));
      assert.deepEqual(missing.asked, [], 'no production question without credentials');
      assert.equal(missing.result.ok, false);
      assert.match(missing.result.ok ? '' : missing.result.message, /no client credentials/);
      assert.equal(server.counters.tokenRequests + server.counters.apiRequests, 0);

      await vscode.commands.executeCommand('studyteam.setCredentials', env.id, { clientId: client.clientId, clientSecret: client.clientSecret });
      if (!uiDriverAvailable()) this.skip();
      // The real question (no test responder): Cancel is the first, focused choice, so Enter sends nothing.
      assert.equal(api.confirmations.responder, undefined);
      const running = api.services.runRequest(post, { environment: env, showProgress: false, notifyErrors: false });
      const focused = await waitUntil(
        'the production question',
        () => workbenchEval<string | null>(`(() => { const w = document.querySelector('.quick-input-widget'); if (!w || w.style.display === 'none' || !/production environment/.test(w.textContent ?? '')) return null; return w.querySelector('.monaco-list-row.focused')?.textContent ?? ''; })()`),
        15_000,
      );
      assert.match(focused, /Cancel/, `the focused choice is Cancel (got "${focused}")`);
      await screenshot('production-confirmation.png');
      await pressKey('Enter');
      const outcome = await running;
      assert.equal(outcome.ok, false);
      assert.match(outcome.ok ? '' : outcome.message, /not sent \(declined\)/);
      assert.equal(server.counters.apiRequests, 0, 'Enter sent nothing to production');
    } finally {
      await api.sandbox.stop('sandbox-prod2');
    }
  });

  it('stops the sandbox: the environment disappears and the server is closed', async () => {
    const url = api.environments.get('sandbox')!.baseUrl;
    await vscode.commands.executeCommand('studyteam.switchEnvironment', 'sandbox');
    assert.equal(await vscode.commands.executeCommand('studyteam.stopSandbox', 'sandbox'), true);
    assert.equal(api.environments.get('sandbox'), undefined);
    assert.notEqual(api.environments.active().id, 'sandbox');
    assert.equal(await api.credentials.has('sandbox'), false);
    await assert.rejects(fetch(`${url}/rpi/sites`));
  });
});

/** The workspace Memento the extension uses, reached through the registry (no ExtensionContext in tests). */
function workspaceStateOf(api: StudyTeamApi): vscode.Memento {
  return (api.environments as unknown as { workspaceState: vscode.Memento }).workspaceState;
}
