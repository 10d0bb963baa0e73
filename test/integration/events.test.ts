// The Events view in the real workbench against the local sandbox's reporting-events feed: follow from the
// beginning (every seeded event once, grouped by subject), a referral created from the Saved Requests tree
// appears within one poll, acknowledging it in the sandbox changes its status, the event JSON opens in the
// read-only document view, switching environment stops following, and no event message reaches the disk.
// The last test leaves a follow running on the harness sandbox for the after-reload phase
// (afterReloadEvents.test.ts).
import * as assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { StudyTeamApi } from '../../src/api';
import { KNOWN_EVENT_TYPES, eventFacts, type FeedEvent } from '../../src/core/eventFeed';
import type { EventsFeature } from '../../src/events/registerEventsView';
import { READONLY_SCHEME } from '../../src/host/readonlyDocuments';
import type { SandboxServer } from '../../src/sandbox/sandboxServer';
import type { SavedRequestsFeature } from '../../src/tree/registerSavedRequests';
import { eventLeakNeedles, scanFiles } from './support/leakScan';
import { EVENTS_RELOAD_KEY, type EventsReloadSession } from './support/eventsReload';
import { harnessSandbox, leakScanRoots, vaultAvailable, vaultPut, writeFigures } from './support/safety';
import { EVENTS_TEST_ENVIRONMENT_IDS, sleep, studyTeamApi, waitUntil } from './support/studyteam';
import { pressKey, screenshot, uiCommand, uiDriverAvailable, waitForNotification, workbenchEval } from './support/uiDriver';

const [SANDBOX_ID, PROD_SANDBOX_ID, PERSIST_ENV_ID, BIG_SANDBOX_ID] = EVENTS_TEST_ENVIRONMENT_IDS;
const FROM_BEGINNING = { eventTypes: [...KNOWN_EVENT_TYPES], trialIds: [], start: { kind: 'beginning' } };

describe('events view: following the reporting-events feed', function () {
  this.timeout(90_000);
  let api: StudyTeamApi;
  let feature: EventsFeature;
  let server: SandboxServer;
  const shown = new Map<string, FeedEvent>();

  const controller = () => feature.controller();
  const caughtUp = () => controller().status.kind === 'waiting';

  before(async () => {
    api = await studyTeamApi();
    const maybe = api.features.events as EventsFeature | undefined;
    assert.ok(maybe, 'activate() must expose features.events');
    feature = maybe;
    await vscode.workspace.getConfiguration('studyteam').update('events.pollSeconds', 5, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('studyteam.startSandbox', { id: SANDBOX_ID, name: 'Events Sandbox' });
    const running = api.sandbox.server(SANDBOX_ID);
    assert.ok(running, 'the events sandbox runs');
    server = running;
    await vscode.commands.executeCommand('workbench.view.extension.studyteam');
    await vscode.commands.executeCommand('studyteam.events.focus');
  });

  after(async () => {
    await vscode.workspace.getConfiguration('studyteam').update('events.pollSeconds', undefined, vscode.ConfigurationTarget.Global);
  });

  const remember = () => controller().events().forEach((e) => shown.set(e.id, e));

  it('from the beginning: every seeded event once, in feed order, grouped by subject (newest activity first)', async () => {
    assert.equal(api.environments.active().id, SANDBOX_ID);
    await vscode.commands.executeCommand('studyteam.events.setFilter', FROM_BEGINNING);
    await waitUntil('caught up', caughtUp, 30_000);
    const seeded = server.events.all();
    assert.ok(seeded.length >= 100, `the sandbox seeds a history (${seeded.length})`);
    const events = controller().events();
    assert.deepEqual(
      events.map((e) => e.id),
      seeded.map((e) => e.id),
      'all seeded events, once, in the feed order',
    );
    assert.equal(controller().stats()?.duplicates, 0);
    const groups = feature.tree.groups();
    const subjects = new Set(seeded.map((e) => eventFacts(e).subjectId));
    assert.equal(groups.length, subjects.size, 'one group per subject');
    assert.equal(groups.reduce((n, g) => n + g.events.length, 0), seeded.length);
    assert.equal(groups[0].subjectId, eventFacts(seeded[seeded.length - 1]).subjectId, 'the subject of the newest event comes first');
    const root = feature.tree.getChildren();
    assert.equal(root[0].kind, 'header');
    assert.equal(root.length, groups.length + 1);
    assert.match(feature.statusLine(), /^Following Events Sandbox: caught up · next poll at /);
    assert.equal(feature.treeView.description, 'Events Sandbox');
    remember();
  });

  it('a referral created from the Saved Requests tree appears within one poll; acknowledging it in the sandbox changes its status', async () => {
    const saved = api.features.savedRequests as SavedRequestsFeature;
    const folderId = await vscode.commands.executeCommand<string>('studyteam.addExamples');
    try {
      const create = saved.store.allRequests().find((r) => r.request.method === 'POST' && /\/referrals$/.test(r.request.url));
      assert.ok(create, 'the examples include Create referral');
      const before = controller().events().length;
      const result = await vscode.commands.executeCommand<{ ok: boolean; status?: number }>('studyteam.runSavedRequest', create.request.id, { show: false });
      assert.ok(result?.ok, `the referral was accepted: ${JSON.stringify(result)}`);
      const created = server.events.all().at(-1)!;
      assert.equal(created.eventType, 'v1.patient.created');
      const subjectId = eventFacts(created).subjectId!;
      const t0 = Date.now();
      await waitUntil('the new referral at the top of the view', () => feature.tree.groups()[0]?.latestEvent.id === created.id, 8_000);
      assert.equal(feature.tree.groups()[0].subjectId, subjectId);
      console.log(`    new subject shown ${Date.now() - t0} ms after the referral (poll every 5 s)`);
      assert.equal(controller().events().length, before + 1);
      const group = feature.tree.groups()[0];
      assert.equal(group.latestStatus, eventFacts(created).patientStatus);

      const siteId = eventFacts(created).siteId!;
      const ack = await fetch(`${server.url}/sandbox/sites/${encodeURIComponent(siteId)}/subjects/${encodeURIComponent(subjectId)}/acknowledge`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ status: 'preScreening' }),
      });
      assert.ok(ack.ok, `acknowledge: ${ack.status} ${await ack.text()}`);
      await vscode.commands.executeCommand('studyteam.events.refresh');
      const changed = await waitUntil('the status change', () => {
        const g = feature.tree.groups()[0];
        return g?.subjectId === subjectId && g.latestStatus === 'preScreening' ? g : undefined;
      });
      assert.deepEqual(
        changed.events.slice(-2).map((e) => [e.id === created.id, e.eventType]),
        [
          [true, 'v1.patient.created'],
          [false, 'v1.patient.referralAcknowledged'],
        ],
      );
      remember();
    } finally {
      await vscode.commands.executeCommand('studyteam.deleteItem', folderId, { confirm: false });
    }
  });

  it('opens an event as read-only JSON (never a file), copies its ids, flat mode lists newest first', async () => {
    const latest = controller().events().at(-1)!;
    await vscode.commands.executeCommand('studyteam.events.openEvent', latest.id);
    const editor = await waitUntil('the event document', () => {
      const active = vscode.window.activeTextEditor;
      return active?.document.uri.scheme === READONLY_SCHEME ? active : undefined;
    });
    assert.deepEqual(JSON.parse(editor.document.getText()), latest);
    assert.equal(editor.document.languageId, 'json');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    const node = { kind: 'event' as const, event: latest, inSubject: true };
    await vscode.commands.executeCommand('studyteam.events.copyEventId', node);
    assert.equal(await vscode.env.clipboard.readText(), latest.id);
    await vscode.commands.executeCommand('studyteam.events.copySubjectId', node);
    assert.equal(await vscode.env.clipboard.readText(), eventFacts(latest).subjectId);
    await vscode.commands.executeCommand('studyteam.events.showFlat');
    const flat = feature.tree.getChildren();
    assert.equal(flat.length, controller().events().length + 1);
    const first = flat[1];
    assert.ok(first.kind === 'event' && first.event.id === latest.id, 'newest first');
    await vscode.commands.executeCommand('studyteam.events.showGrouped');
  });

  it('a screenshot of the view (README)', async function () {
    if (!uiDriverAvailable()) this.skip();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('workbench.view.extension.studyteam');
    await vscode.commands.executeCommand('studyteam.events.focus');
    for (let i = 0; i < 6; i++) await vscode.commands.executeCommand('workbench.action.decreaseViewWidth');
    const [first] = feature.tree.groups();
    await feature.treeView.reveal({ kind: 'event', event: first.latestEvent, inSubject: true }, { expand: true, select: false, focus: false });
    await sleep(800);
    await screenshot('events-view.png');
    for (let i = 0; i < 6; i++) await vscode.commands.executeCommand('workbench.action.increaseViewWidth');
  });

  /** A subject whose referral was created but not yet acknowledged (acknowledging it appends an event). */
  function unacknowledged(events: readonly FeedEvent[]): { siteId: string; subjectId: string } {
    const acked = new Set(events.filter((e) => e.eventType === 'v1.patient.referralAcknowledged').map((e) => eventFacts(e).subjectId));
    const created = events.find((e) => e.eventType === 'v1.patient.created' && !acked.has(eventFacts(e).subjectId) && eventFacts(e).siteId);
    assert.ok(created, 'a referral not yet acknowledged');
    return { siteId: eventFacts(created).siteId!, subjectId: eventFacts(created).subjectId! };
  }

  async function acknowledge(baseUrl: string, subject: { siteId: string; subjectId: string }, status: string): Promise<void> {
    const response = await fetch(`${baseUrl}/sandbox/sites/${encodeURIComponent(subject.siteId)}/subjects/${encodeURIComponent(subject.subjectId)}/acknowledge`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status }),
    });
    assert.ok(response.ok, `acknowledge: ${response.status} ${await response.text()}`);
  }

  it('the badge counts events that arrived while the view was hidden; looking resets it', async () => {
    await vscode.commands.executeCommand('workbench.view.explorer');
    await waitUntil('the view hidden', () => !feature.treeView.visible);
    assert.equal(feature.unseen(), 0);
    await vscode.workspace.getConfiguration('studyteam').update('events.notifyEventTypes', ['v1.patient.referralAcknowledged'], vscode.ConfigurationTarget.Global);
    try {
      await acknowledge(server.url, unacknowledged(controller().events()), 'inScreening');
      await vscode.commands.executeCommand('studyteam.events.refresh');
      await waitUntil('the badge', () => feature.unseen() === 1);
      assert.equal(feature.treeView.badge?.value, 1);
      if (uiDriverAvailable()) {
        const toast = await waitForNotification('StudyTeam Events Sandbox: 1 new event (1 × v1.patient.referralAcknowledged)');
        assert.deepEqual(toast.actions, ['Show Events']);
      }
    } finally {
      await vscode.workspace.getConfiguration('studyteam').update('events.notifyEventTypes', undefined, vscode.ConfigurationTarget.Global);
    }
    await vscode.commands.executeCommand('studyteam.events.focus');
    await waitUntil('the badge cleared', () => feature.treeView.visible && feature.unseen() === 0);
    assert.equal(feature.treeView.badge, undefined);
    remember();
  });

  it('switching environment stops following and starts nothing; switching back and Start resumes from the saved position', async () => {
    assert.ok(controller().running);
    const eventsBefore = server.events.all().length;
    await vscode.commands.executeCommand('studyteam.switchEnvironment', 'staging');
    await waitUntil('stopped', () => !controller().running && controller().environment.id === 'staging');
    assert.equal(controller().events().length, 0, 'no events of another environment are shown');
    assert.match(feature.statusLine(), /Staging/);
    await sleep(300);
    assert.equal(controller().running, false, 'nothing started on its own');
    await vscode.commands.executeCommand('studyteam.switchEnvironment', SANDBOX_ID);
    await waitUntil('back on the sandbox', () => controller().environment.id === SANDBOX_ID);
    assert.equal(controller().running, false);
    const saved = controller().savedState();
    assert.ok(saved?.position?.lastEventId, 'the position was saved');
    assert.ok(!JSON.stringify(saved).includes('patientStatus'), 'the saved state holds no message');
    await vscode.commands.executeCommand('studyteam.events.start');
    await waitUntil('caught up', caughtUp);
    assert.equal(controller().events().length, 0, 'resuming shows only events after the saved position');
    assert.equal(server.events.all().length, eventsBefore);
  });

  it('on a production environment: the view says so, its environment row is coloured like the status bar, reading asks nothing', async () => {
    await vscode.commands.executeCommand('studyteam.events.pause');
    await vscode.commands.executeCommand('studyteam.startSandbox', { id: PROD_SANDBOX_ID, name: 'Events Prod', production: true });
    try {
      await waitUntil('on the production sandbox', () => controller().environment.id === PROD_SANDBOX_ID);
      const asked: string[] = [];
      const previous = api.confirmations.responder;
      api.confirmations.responder = (request) => {
        asked.push(request.message);
        return false;
      };
      try {
        await vscode.commands.executeCommand('studyteam.events.setFilter', { ...FROM_BEGINNING, start: { kind: 'now' } });
        await waitUntil('caught up', caughtUp);
      } finally {
        api.confirmations.responder = previous;
      }
      assert.deepEqual(asked, [], 'a GET of the feed needs no confirmation');
      assert.equal(feature.treeView.description, 'Events Prod', 'a short name in the narrow title bar');
      const header = feature.tree.getTreeItem({ kind: 'header' });
      const icon = header.iconPath as vscode.ThemeIcon;
      assert.equal(icon.color?.id, 'statusBarItem.errorBackground');
      assert.match(String(header.description), /^production · /);
      assert.equal(controller().events().length, 0, 'from now: no history');
      await vscode.commands.executeCommand('studyteam.events.pause');
    } finally {
      await vscode.commands.executeCommand('studyteam.stopSandbox', PROD_SANDBOX_ID);
    }
    await vscode.commands.executeCommand('studyteam.switchEnvironment', SANDBOX_ID);
  });

  it('Set Filter through the UI: a typed-in type the feed rejects (400) stops following with a clear error', async function () {
    if (!uiDriverAvailable()) this.skip();
    await vscode.commands.executeCommand('workbench.view.extension.studyteam');
    const prompt = vscode.commands.executeCommand('studyteam.events.setFilter');
    const title = () => workbenchEval<string>("document.querySelector('.quick-input-widget .quick-input-title')?.textContent ?? ''");
    await waitUntil('the event types pick', async () => /event types \(1\/3\)/.test(await title()));
    const input = "document.querySelector('.quick-input-widget input.input')";
    await waitUntil('the quick input focused', () => workbenchEval<boolean>(`document.activeElement === ${input}`));
    await uiCommand({ op: 'typeText', text: 'v1.patient.madeUpType' });
    await waitUntil('the typed type name', async () => (await workbenchEval<string>(`${input}?.value ?? ''`)) === 'v1.patient.madeUpType');
    await sleep(200); // the quick pick's value-change handler adds the row
    await pressKey('Enter');
    await waitUntil('the trial ids box', async () => /trial ids \(2\/3\)/.test(await title()));
    await pressKey('Enter');
    await waitUntil('the start pick', async () => /start \(3\/3\)/.test(await title()));
    await pressKey('Enter'); // From now
    await prompt;
    const saved = controller().savedState()?.filter;
    assert.deepEqual(saved?.eventTypes, [...KNOWN_EVENT_TYPES, 'v1.patient.madeUpType']);
    assert.deepEqual(saved?.start, { kind: 'now' });
    await waitUntil('the failure', () => controller().status.kind === 'failed');
    assert.match(feature.statusLine(), /^⚠ Events Sandbox: the events feed rejected the filter \(400\)/);
    const toast = await waitForNotification('rejected the filter (400)');
    assert.ok(toast.actions.includes('Show Log'));
    assert.equal(controller().running, false, 'no retry loop');
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('studyteam.events.setFilter', { ...FROM_BEGINNING, start: { kind: 'now' } });
    await waitUntil('caught up', caughtUp);
  });

  it('no event message text is on disk (leak scan of everything the session wrote so far)', async () => {
    await controller().flushed();
    await sleep(1_000);
    const needles = eventLeakNeedles([...shown.values()]);
    assert.ok(needles.length > 0);
    const roots = leakScanRoots();
    if (!roots.length) return console.log('    (no scan roots: not under the code-server harness)');
    const report = scanFiles(roots, needles);
    console.log(`    events leak scan: ${report.files} files, ${report.bytes} bytes, ${needles.length} needles, ${report.hits.length} hits`);
    assert.deepEqual(report.hits.map((h) => `${h.needle} (${h.form}) in ${h.where}`), []);
  });

  it('follows a 10,000-event feed in the extension host with the view open (figures for npm run bench)', async () => {
    const config = vscode.workspace.getConfiguration('studyteam');
    await config.update('events.maxKept', 10_000, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('studyteam.startSandbox', { id: BIG_SANDBOX_ID, name: 'Events 10k', seedEvents: 10_000 });
    try {
      await waitUntil('on the big sandbox', () => controller().environment.id === BIG_SANDBOX_ID);
      await vscode.commands.executeCommand('workbench.view.extension.studyteam');
      await vscode.commands.executeCommand('studyteam.events.focus');
      await waitUntil('the view visible', () => feature.treeView.visible);
      const loop = monitorEventLoopDelay({ resolution: 5 });
      global.gc?.();
      const heapBefore = process.memoryUsage().heapUsed;
      const started = performance.now();
      loop.enable();
      await vscode.commands.executeCommand('studyteam.events.setFilter', FROM_BEGINNING);
      await waitUntil('caught up', caughtUp, 60_000);
      const followMs = performance.now() - started;
      await sleep(400); // the debounced render of the last page
      loop.disable();
      const stats = controller().stats()!;
      const figures = {
        eventsHostPages: stats.pages,
        eventsHostShown: controller().events().length,
        eventsHostFollowMs: Math.round(followMs),
        eventsHostLoopP99Ms: Math.round((loop.percentile(99) / 1e6) * 10) / 10,
        eventsHostLoopMaxMs: Math.round((loop.max / 1e6) * 10) / 10,
        eventsHostHeapMB: Math.round(((process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024) * 10) / 10,
      };
      writeFigures(figures);
      console.log(
        `    events (extension host): pages=${figures.eventsHostPages} eventsShown=${figures.eventsHostShown} duplicates=${stats.duplicates} followMs=${figures.eventsHostFollowMs} heapMB=${figures.eventsHostHeapMB} loopP99Ms=${figures.eventsHostLoopP99Ms} loopMaxMs=${figures.eventsHostLoopMaxMs}`,
      );
      // The view lists the newest 500 subjects, then a Show More row.
      const subjects = feature.tree.groups().length;
      let roots = feature.tree.getChildren();
      assert.equal(roots.length, 1 + 500 + 1);
      assert.deepEqual(roots.at(-1), { kind: 'more', hidden: subjects - 500, what: 'subjects' });
      await vscode.commands.executeCommand('studyteam.events.showMore');
      roots = feature.tree.getChildren();
      assert.equal(roots.length, 1 + 1000 + 1);
      assert.equal(controller().events().length, 10_000);
      assert.equal(stats.duplicates, 0);
      assert.equal(feature.tree.groups().reduce((n, g) => n + g.events.length, 0), 10_000);
      await vscode.commands.executeCommand('studyteam.events.pause');
      await vscode.commands.executeCommand('studyteam.events.clear');
    } finally {
      await config.update('events.maxKept', undefined, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('studyteam.stopSandbox', BIG_SANDBOX_ID);
    }
  });

  it('leaves a follow running on the harness sandbox for the after-reload phase', async function () {
    if (!vaultAvailable()) this.skip();
    await vscode.commands.executeCommand('studyteam.events.pause');
    await vscode.commands.executeCommand('studyteam.stopSandbox', SANDBOX_ID);
    const hs = await harnessSandbox();
    const envId = PERSIST_ENV_ID;
    if (!api.environments.get(envId)) {
      await vscode.commands.executeCommand('studyteam.addEnvironment', { id: envId, name: 'Events Persist', baseUrl: hs.url, audience: hs.audience });
    }
    await vscode.commands.executeCommand('studyteam.setCredentials', envId, { clientId: hs.clientId, clientSecret: hs.clientSecret });
    await vscode.commands.executeCommand('studyteam.switchEnvironment', envId);
    await waitUntil('on the persistent environment', () => controller().environment.id === envId);
    await vscode.commands.executeCommand('studyteam.events.setFilter', FROM_BEGINNING);
    await waitUntil('caught up', caughtUp, 30_000);
    const events = controller().events();
    assert.ok(events.length > 0);
    await controller().flushed();
    const session: EventsReloadSession = {
      environmentId: envId,
      shownIds: events.map((e) => e.id),
      lastEventId: events.at(-1)!.id,
      needles: eventLeakNeedles([...shown.values(), ...events]),
      sandboxUrl: hs.url,
      acknowledge: unacknowledged(events),
    };
    await vaultPut(EVENTS_RELOAD_KEY, session);
  });
});
