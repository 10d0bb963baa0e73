// What the ready-made folders (the StudyTeam examples, the go-live checklist) share: building their
// requests with fresh ids, the JSON request shape, and the made-up v1 referral body
// (STUDYTEAM_API.md, "Create Referral Payload v1"). No `vscode`.
import { jsonBodyText } from './savedRequestBody';
import type { SavedRequestNode } from './savedRequests';

export type IdFactory = (kind: 'request' | 'folder') => string;
type RequestFields = Omit<SavedRequestNode, 'kind' | 'id'>;

/** A request node with a fresh id; `json` adds bearer auth and a JSON Content-Type for a body. */
export function requestBuilder(idFactory: IdFactory): {
  request(r: RequestFields): SavedRequestNode;
  jsonRequest(r: Omit<RequestFields, 'auth' | 'headers'> & { body: string }): SavedRequestNode;
} {
  const request = (r: RequestFields): SavedRequestNode => ({ kind: 'request', id: idFactory('request'), ...r });
  return {
    request,
    jsonRequest: (r) => request({ ...r, auth: 'bearer', headers: [{ name: 'Content-Type', value: 'application/json' }] }),
  };
}

export interface SampleReferral {
  readonly subjectId: string;
  readonly campaignCode: string;
  /** Extra telecom rows after the home e-mail. */
  readonly moreTelecom?: ReadonlyArray<Readonly<Record<string, string | number>>>;
  /** The one encounter answer: a question and its answer. */
  readonly question: string;
  readonly answer: string;
}

/** One referral with its primary trial ({{trialId}}, {{sponsorSiteId}}), consent, FHIR-style name/telecom/address and one encounter answer. */
export function sampleReferralBody(r: SampleReferral): string {
  return jsonBodyText({
    referral: [
      {
        subjectId: r.subjectId,
        subjectCreatedAt: '2025-01-15T14:30:00Z',
        campaignCode: r.campaignCode,
        primaryTrial: { id: '{{trialId}}', sponsorSiteId: '{{sponsorSiteId}}' },
        consent: {
          verification: { verificationDate: '2025-01-15T14:30:00Z', verified: true, verifiedWith: { name: 'self', relationship: 'ONESELF' } },
          text: 'Agrees to be contacted by the study site.',
        },
        birthDate: '1980-04-12',
        sex: 'female',
        name: [{ use: 'official', given: ['Jane'], family: 'Testpatient' }],
        telecom: [{ system: 'email', value: 'jane.testpatient@example.com', use: 'home', rank: 1 }, ...(r.moreTelecom ?? [])],
        address: [{ use: 'home', type: 'both', line: ['101 Main St.'], city: 'Boston', state: 'MA', postalCode: '02140', country: 'us' }],
        encounter: [{ source: 'web', response: { item: [{ linkId: '1', text: r.question, answer: [{ valueString: r.answer }] }] } }],
      },
    ],
  });
}
