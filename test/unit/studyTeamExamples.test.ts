// "Add StudyTeam Examples" against the sandbox through the real core runner: every example, with the
// sandbox environment's variables, answers 2xx out of the box.
import { strict as assert } from 'node:assert';
import { AuthService } from '../../src/core/authService';
import type { Environment } from '../../src/core/model';
import type { SavedRequestNode } from '../../src/core/savedRequests';
import { RequestRunner } from '../../src/core/requestRunner';
import { studyTeamExamples } from '../../src/core/studyTeamExamples';
import { resolveVariables } from '../../src/core/variables';
import { SandboxServer } from '../../src/sandbox/sandboxServer';
import { MemoryCredentials, MemoryLogger } from './support/fixtureServer';

describe('StudyTeam examples on the sandbox', () => {
  let sandbox: SandboxServer;
  before(async () => {
    sandbox = await SandboxServer.start();
  });
  after(() => sandbox.stop());

  it('every example resolves with the sandbox variables and answers 2xx', async () => {
    const env: Environment = { ...sandbox.environment('sbx'), audience: sandbox.audience, variables: sandbox.exampleVariables() };
    const client = sandbox.clients[0]!;
    const logger = new MemoryLogger();
    const auth = new AuthService({ credentials: new MemoryCredentials({ sbx: { clientId: client.clientId, clientSecret: client.clientSecret } }), logger });
    const runner = new RequestRunner({ auth, logger });
    const examples = studyTeamExamples().children.filter((c): c is SavedRequestNode => c.kind === 'request');
    assert.ok(examples.length >= 6);
    const statuses: Array<[string, number]> = [];
    for (const example of examples) {
      const { request, unresolved } = resolveVariables(example, env.variables!);
      assert.deepEqual(unresolved, [], example.name);
      const response = await runner.run(env, request);
      statuses.push([example.name, response.status]);
    }
    for (const [name, status] of statuses) assert.ok(status >= 200 && status < 300, `${name}: ${status} (${JSON.stringify(statuses)})`);
    // The referral example reached the feed; the microsites one went without a token but with an Origin.
    assert.ok(sandbox.allEvents().some((e) => e.message['referralSubjectId'] === env.variables!['subjectId'] && e.eventType === 'v1.patient.created'));
    assert.equal(sandbox.lastApiRequest?.headers['authorization'], undefined);
    assert.equal(sandbox.lastApiRequest?.headers['origin'], 'https://example.com');
  });
});
