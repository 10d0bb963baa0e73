// Every command contributed in package.json is registered and runs from the palette without arguments:
// prompts are dismissed (as a user pressing Escape would), and no command may throw or show an error.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { ALL_COMMAND_IDS } from '../../src/commandIds';
import { COMMANDS_SANDBOX_ID, EXTENSION_ID, sleep, studyTeamApi } from './support/studyteam';

interface Contributed {
  command: string;
  title: string;
}

describe('commands', function () {
  this.timeout(120_000);

  it('src/commandIds.ts lists exactly the commands package.json contributes, and each is registered', async () => {
    const pkg = JSON.parse(readFileSync(join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'package.json'), 'utf8')) as {
      contributes: { commands: Contributed[] };
    };
    const contributed = pkg.contributes.commands.map((c) => c.command);
    const inModule = [...ALL_COMMAND_IDS];
    assert.deepEqual(contributed.filter((c) => !inModule.includes(c as never)), [], 'contributed in package.json but missing from src/commandIds.ts');
    assert.deepEqual(inModule.filter((c) => !contributed.includes(c)), [], 'in src/commandIds.ts but not contributed in package.json');
    assert.equal(new Set(inModule).size, inModule.length, 'no id twice in src/commandIds.ts');
    await studyTeamApi();
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(inModule.filter((c) => !registered.has(c)), [], 'every command id is registered');
  });

  it('executes every contributed command without arguments; none is missing, none throws, none shows an error', async () => {
    const api = await studyTeamApi();
    const pkg = JSON.parse(readFileSync(join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'package.json'), 'utf8')) as {
      contributes: { commands: Contributed[] };
    };
    const previous = api.confirmations.responder;
    const asked: string[] = [];
    api.confirmations.responder = (request) => {
      asked.push(request.message);
      return false;
    };
    const failures: string[] = [];
    const ran: string[] = [];
    // A working setup: the active environment has credentials (a local sandbox of its own, so its token requests are
    // told apart from activation's: see COMMANDS_SANDBOX_ID in the extension test), so the token commands can work.
    await api.sandbox.start({ id: COMMANDS_SANDBOX_ID, name: 'Commands sandbox' });
    try {
      for (const { command } of pkg.contributes.commands) {
        // A command that fails inside its own wrapper does not throw to the caller: it shows an error through the
        // error presenter, which records it. Either way it is a failure here.
        const before = api.notifications.join('\n');
        const countBefore = api.notifications.length;
        const outcome = await runDismissingPrompts(command);
        // (The record is bounded: once full, a new error shifts it rather than growing it.)
        const errors = api.notifications.join('\n') === before ? [] : api.notifications.slice(-Math.max(1, api.notifications.length - countBefore));
        if (outcome !== 'ok') failures.push(`${command}: ${outcome}`);
        else if (errors.length) failures.push(`${command}: showed an error: ${errors.join(' | ')}`);
        else ran.push(command);
      }
    } finally {
      api.confirmations.responder = previous;
      await api.sandbox.stopAll();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
    console.log(`    ran ${ran.length} commands; ${asked.length} confirmations declined`);
    assert.deepEqual(failures, []);
    assert.equal(ran.length, pkg.contributes.commands.length);
  });
});

async function runDismissingPrompts(command: string): Promise<string> {
  let settled: { ok: true } | { ok: false; error: unknown } | undefined;
  const pending = Promise.resolve(vscode.commands.executeCommand(command)).then(
    () => (settled = { ok: true }),
    (error: unknown) => (settled = { ok: false, error }),
  );
  for (let i = 0; i < 60 && !settled; i++) {
    await Promise.race([pending, sleep(150)]);
    if (!settled) await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  }
  if (!settled) return 'did not finish within 9 s after dismissing its prompts';
  if (!settled.ok) return `threw ${settled.error instanceof Error ? settled.error.message : String(settled.error)}`;
  return 'ok';
}
