// Which resource answers which API request (everything but /oauth/token): the token check for /rpi,
// the API-wide fault switches, then sites, referrals, subjects, events, microsites and the
// sandbox-only helpers.
import { bigJsonArray } from './data';
import type { SandboxAuth } from './sandboxAuth';
import type { EventLog } from './sandboxEvents';
import type { SandboxFaults } from './sandboxFaults';
import { json, JSON_TYPE, methodNotAllowed, notFound, statusText, type SandboxAnswer, type SandboxRequest } from './sandboxHttp';
import type { ReferralDesk } from './sandboxReferrals';
import type { SiteDirectory } from './sandboxSites';

export interface SandboxResources {
  readonly auth: SandboxAuth;
  readonly faults: SandboxFaults;
  readonly events: EventLog;
  readonly directory: SiteDirectory;
  readonly referrals: ReferralDesk;
  /** The sandbox's own url (nextPage links are absolute). */
  readonly url: string;
}

export function routeRequest(r: SandboxResources, req: SandboxRequest): SandboxAnswer {
  const s = req.segments;
  if (s[0] === 'sandbox') return routeSandbox(r, req);
  if (s[0] === 'microsites-api' && s[1] === 'v1') return r.directory.answerMicrosite(req);
  if (s[0] !== 'rpi') return noRoute(req);

  const problem = r.auth.authorize(req.headers, r.faults);
  if (problem) {
    return json(401, { error: 'invalid_token', error_description: problem }, {
      'www-authenticate': `Bearer error="invalid_token", error_description="${problem}"`,
    });
  }
  if (r.faults.apiStatus !== undefined) {
    const status = r.faults.apiStatus;
    return json(status, { message: statusText(status) });
  }
  if (s[1] === 'events' && s.length === 2) {
    if (req.method !== 'GET') return methodNotAllowed('GET');
    return r.events.page(req.query, r.url, (id) => r.directory.trialExists(id));
  }
  if (s[1] === 'sites') {
    if (s.length === 2) return r.directory.answerList(req, r.faults.bigJsonMb);
    if (s.length === 3) return r.directory.answerOne(req, s[2]!);
    if (s[3] === 'referrals' && s.length === 4) return r.referrals.answerCreate(req, s[2]!);
    if (s[3] === 'referrals' && s[4] === 'subjects' && s.length === 6) return r.referrals.answerUpdate(req, s[2]!, s[5]!);
  }
  return noRoute(req);
}

/** Sandbox-only helpers, no token: /sandbox/big?mb=N and /sandbox/sites/{siteId}/subjects/{subjectId}/acknowledge. */
function routeSandbox(r: SandboxResources, req: SandboxRequest): SandboxAnswer {
  const s = req.segments;
  if (s[1] === 'big' && s.length === 2) {
    if (req.method !== 'GET') return methodNotAllowed('GET');
    const mb = Number(req.query.get('mb') ?? '1');
    if (!Number.isFinite(mb) || mb < 0 || mb > 512) return json(400, { message: 'mb must be a number from 0 to 512.' });
    return { status: 200, raw: bigJsonArray(mb), headers: { 'content-type': JSON_TYPE } };
  }
  if (s[1] === 'sites' && s[3] === 'subjects' && s[5] === 'acknowledge' && s.length === 6) {
    return r.referrals.answerAcknowledge(req, s[2]!, s[4]!);
  }
  return noRoute(req);
}

function noRoute(req: SandboxRequest): SandboxAnswer {
  return notFound(`No route for ${req.method} ${req.path}`);
}
