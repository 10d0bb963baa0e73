// Referrals and their subjects: `POST /rpi/sites/{siteId}/referrals` ({referral:[…]} → 202) and
// `PUT /rpi/sites/{siteId}/referrals/subjects/{subjectId}` (→ 202) [doc; shapes obs], plus the
// sandbox-only "a site user acknowledged the referral" step that moves a subject's status, locks its
// fields and appends `v1.patient.referralAcknowledged` to the events feed. Bounded, in memory.
import { randomUUID } from 'node:crypto';
import { SUBJECT_STATUSES } from '../core/studyTeamVocabulary';
import { type SandboxSite, type SandboxSiteTrial, type SeedStep } from './data';
import type { EventLog } from './sandboxEvents';
import { invalidPayload, json, methodNotAllowed, notFound, parseJsonBody, type SandboxAnswer, type SandboxRequest } from './sandboxHttp';
import { siteNotFound, type SiteDirectory } from './sandboxSites';
import { FIELDS_OPEN_AFTER_REVIEW, referralPayloadProblems, subjectUpdateProblems } from './referralValidation';

/** A referral subject as the sandbox keeps it (there is no public GET for one [?]; tests read it). */
export interface SandboxSubject {
  readonly siteId: string;
  readonly subjectId: string;
  readonly trialId: string;
  readonly sponsorSiteId: string;
  status: string;
  /** True once a (simulated) site user reviewed it: then most fields are locked. */
  reviewed: boolean;
  ixrsSubjectId?: string;
  readonly referralReceivedTime: string;
  /** Encounters received (creation and updates): the subject's timeline. */
  encounters: number;
  /** The last values of the other fields sent (name, telecom, …). */
  fields: Record<string, unknown>;
}

/** Outcome of acknowledging a referral: the event appended, or why not (with an HTTP status). */
export type AcknowledgeResult = { readonly subject: SandboxSubject; readonly eventId: string } | { readonly status: 400 | 404; readonly message: string };

export const DEFAULT_ACKNOWLEDGED_STATUS = 'preScreening';

export class ReferralDesk {
  private readonly subjects = new Map<string, SandboxSubject>();

  constructor(
    private readonly sites: SiteDirectory,
    private readonly events: EventLog,
    private readonly maxSubjects: number,
  ) {}

  subject(siteId: string, subjectId: string): SandboxSubject | undefined {
    return this.subjects.get(key(siteId, subjectId));
  }

  /** Subjects, newest first (at most `limit`). */
  recent(limit = 50): SandboxSubject[] {
    const all = [...this.subjects.values()];
    return all.slice(-limit).reverse();
  }

  get subjectCount(): number {
    return this.subjects.size;
  }

  /** Replays seeded history: subjects and their events. */
  seed(step: SeedStep): void {
    if (step.kind === 'created') this.receive(step.site, step.trial, step.subjectId, {}, step.publishedTime);
    else this.acknowledge(step.site.id, step.subjectId, step.status, step.publishedTime);
  }

  /** A site user looked at the referral: status moves, fields lock, `v1.patient.referralAcknowledged` is published. */
  acknowledge(siteId: string, subjectId: string, status = DEFAULT_ACKNOWLEDGED_STATUS, time = new Date().toISOString()): AcknowledgeResult {
    const subject = this.subject(siteId, subjectId);
    if (!subject) return { status: 404, message: `Subject ${subjectId} not found at site ${siteId}` };
    if (!SUBJECT_STATUSES.includes(status)) return { status: 400, message: `status must be one of ${SUBJECT_STATUSES.join(', ')}` };
    subject.status = status;
    subject.reviewed = true;
    const event = this.events.append('v1.patient.referralAcknowledged', {
      ...eventBase(subject),
      referralAcknowledgedTime: time,
    }, time);
    return { subject, eventId: event.id };
  }

  /** `POST /rpi/sites/{siteId}/referrals`. */
  answerCreate(req: SandboxRequest, siteId: string): SandboxAnswer {
    if (req.method !== 'POST') return methodNotAllowed('POST');
    const site = this.sites.site(siteId);
    if (!site) return siteNotFound(siteId);
    const parsed = parseJsonBody(req.body);
    if ('answer' in parsed) return parsed.answer;
    const problems = referralPayloadProblems(parsed.value);
    if (problems.length > 0) return invalidPayload(problems);
    const items = (parsed.value as { referral: Array<Record<string, unknown>> }).referral;
    const accepted: Array<{ trial: SandboxSiteTrial; item: Record<string, unknown> }> = [];
    for (const item of items) {
      const primary = item['primaryTrial'] as { id: string; sponsorSiteId: string };
      const trial = this.sites.trialAt(site, primary.id);
      if (!trial) return notFound(`Trial ${primary.id} not found at site ${site.id}`);
      if (trial.sponsorSiteId !== primary.sponsorSiteId) return notFound(`Sponsor site ${primary.sponsorSiteId} not found for trial ${primary.id}`);
      for (const alternate of (item['alternateTrials'] as Array<{ id: string; sponsorSiteId: string }> | undefined) ?? []) {
        if (!this.sites.trialExists(alternate.id)) return notFound(`Alternate trial ${alternate.id} not found`);
        const runs = this.sites.sites.some((s) => this.sites.trialAt(s, alternate.id)?.sponsorSiteId === alternate.sponsorSiteId);
        if (!runs) return notFound(`Sponsor site ${alternate.sponsorSiteId} not found for trial ${alternate.id}`);
      }
      accepted.push({ trial, item });
    }
    const now = new Date().toISOString();
    for (const { trial, item } of accepted) this.receive(site, trial, item['subjectId'] as string, item, now);
    return json(202, { id: randomUUID(), payload: parsed.value });
  }

  /** `PUT /rpi/sites/{siteId}/referrals/subjects/{subjectId}`. */
  answerUpdate(req: SandboxRequest, siteId: string, subjectId: string): SandboxAnswer {
    if (req.method !== 'PUT') return methodNotAllowed('PUT');
    if (!this.sites.site(siteId)) return siteNotFound(siteId);
    const subject = this.subject(siteId, subjectId);
    if (!subject) return notFound(`Subject ${subjectId} not found at site ${siteId}`);
    const parsed = parseJsonBody(req.body);
    if ('answer' in parsed) return parsed.answer;
    const problems = subjectUpdateProblems(parsed.value);
    if (problems.length > 0) return invalidPayload(problems);
    const body = parsed.value as Record<string, unknown>;
    if (subject.reviewed) {
      const locked = Object.keys(body).filter((k) => !FIELDS_OPEN_AFTER_REVIEW.includes(k) && body[k] !== undefined);
      if (locked.length > 0) {
        return invalidPayload(locked.map((k) => ({
          reason: `Locked: a site user has reviewed this subject; only ${FIELDS_OPEN_AFTER_REVIEW.join(', ')} can still be updated`,
          path: [k],
        })));
      }
    }
    for (const [k, v] of Object.entries(body)) {
      if (k === 'status') subject.status = v as string;
      else if (k === 'ixrsSubjectId') {
        if (v === null) delete subject.ixrsSubjectId;
        else subject.ixrsSubjectId = v as string;
      } else if (k === 'encounter') subject.encounters += (v as unknown[]).length;
      else subject.fields[k] = v;
    }
    return json(202, { id: randomUUID(), subjectId, payload: body });
  }

  /** `POST /sandbox/sites/{siteId}/subjects/{subjectId}/acknowledge` (sandbox only, no token), body `{status?}`. */
  answerAcknowledge(req: SandboxRequest, siteId: string, subjectId: string): SandboxAnswer {
    if (req.method !== 'POST') return methodNotAllowed('POST');
    let status: string | undefined;
    if (req.body.length > 0) {
      const parsed = parseJsonBody(req.body);
      if ('answer' in parsed) return parsed.answer;
      const value = parsed.value as { status?: unknown } | null;
      if (value && typeof value === 'object' && value.status !== undefined) status = String(value.status);
    }
    const result = this.acknowledge(siteId, subjectId, status);
    if ('message' in result) return json(result.status, { message: result.message });
    return json(200, { eventId: result.eventId, subjectId, status: result.subject.status });
  }

  private receive(site: SandboxSite, trial: SandboxSiteTrial, subjectId: string, item: Record<string, unknown>, time: string): void {
    const { subjectId: _id, primaryTrial: _p, encounter, ...fields } = item;
    const subject: SandboxSubject = {
      siteId: site.id,
      subjectId,
      trialId: trial.id,
      sponsorSiteId: trial.sponsorSiteId,
      status: 'potentialCandidate',
      reviewed: false,
      referralReceivedTime: time,
      encounters: Array.isArray(encounter) ? encounter.length : 0,
      fields,
    };
    const k = key(site.id, subjectId);
    this.subjects.delete(k);
    this.subjects.set(k, subject);
    if (this.subjects.size > this.maxSubjects) {
      const drop = this.subjects.size - this.maxSubjects;
      let i = 0;
      for (const old of this.subjects.keys()) {
        if (i++ >= drop) break;
        this.subjects.delete(old);
      }
    }
    this.events.append('v1.patient.created', eventBase(subject), time);
  }
}

function key(siteId: string, subjectId: string): string {
  return `${siteId}\u0000${subjectId}`;
}

function eventBase(subject: SandboxSubject): Record<string, unknown> {
  return {
    siteId: subject.siteId,
    trialId: subject.trialId,
    sponsorSiteId: subject.sponsorSiteId,
    referralSubjectId: subject.subjectId,
    patientStatus: subject.status,
    referralReceivedTime: subject.referralReceivedTime,
  };
}
