// The documented StudyTeam calls as a ready-made folder ("Add StudyTeam Examples"). Paths are relative
// to the environment's baseUrl, ids come from {{variables}} (define siteId, subjectId, trialId,
// micrositeId per environment, or enter them when a request runs). The bodies hold made-up test data.
import { newId } from './savedRequests';
import type { SavedFolderNode, SavedRequestNode } from './savedRequests';

export const STUDYTEAM_EXAMPLES_FOLDER = 'StudyTeam examples';

const CREATE_REFERRAL_BODY = `{
  "subjectId": "{{subjectId}}",
  "trialId": "{{trialId}}",
  "name": [
    { "given": ["Jane"], "family": "Testpatient" }
  ],
  "birthDate": "1980-04-12",
  "sex": "female",
  "telecom": [
    { "system": "email", "value": "jane.testpatient@example.com" },
    { "system": "phone", "value": "+1-555-010-0199", "use": "mobile" }
  ],
  "address": [
    { "line": ["101 Main St."], "city": "Boston", "state": "MA", "postalCode": "02140", "country": "US" }
  ],
  "races": [{ "value": "preferNotToAnswer" }],
  "ethnicities": [{ "value": "preferNotToAnswer" }],
  "recruitmentSource": {
    "utmSource": "vscode",
    "utmMedium": "api",
    "utmCampaign": "sandbox-test"
  },
  "encounter": [
    {
      "questions": [
        { "question": "Have you been diagnosed with type 2 diabetes?", "answer": "Yes" }
      ]
    }
  ]
}`;

const UPDATE_SUBJECT_BODY = `{
  "status": "inScreening",
  "ixrsSubjectId": "IXRS-0001",
  "telecom": [
    { "system": "phone", "value": "+1-555-010-0199", "use": "mobile" }
  ]
}`;

const JSON_HEADERS = [{ name: 'Content-Type', value: 'application/json' }];

/** A fresh copy (new ids each time) of the documented calls, in one folder. */
export function studyTeamExamples(idFactory: (kind: 'request' | 'folder') => string = newId): SavedFolderNode {
  const request = (r: Omit<SavedRequestNode, 'kind' | 'id'>): SavedRequestNode => ({ kind: 'request', id: idFactory('request'), ...r });
  return {
    kind: 'folder',
    id: idFactory('folder'),
    name: STUDYTEAM_EXAMPLES_FOLDER,
    children: [
      request({
        name: 'List sites',
        description: 'The referral sites this client may send referrals to (their siteIds).',
        method: 'GET',
        url: '/rpi/sites',
        auth: 'bearer',
      }),
      request({
        name: 'Create referral',
        description: 'Sends a referral patient to a site. subjectId must be unique per referral partner.',
        method: 'POST',
        url: '/rpi/sites/{{siteId}}/referrals',
        auth: 'bearer',
        headers: JSON_HEADERS.map((h) => ({ ...h })),
        body: CREATE_REFERRAL_BODY,
      }),
      request({
        name: 'Update referral subject',
        description: 'Updates a referral subject already sent to StudyTeam (status, IxRS subject ID, contact details).',
        method: 'PUT',
        url: '/rpi/sites/{{siteId}}/referrals/subjects/{{subjectId}}',
        auth: 'bearer',
        headers: JSON_HEADERS.map((h) => ({ ...h })),
        body: UPDATE_SUBJECT_BODY,
      }),
      request({
        name: 'Read events',
        description: 'The reporting events stream, oldest first. Page with "since" (the last event id or a timestamp).',
        method: 'GET',
        url: '/rpi/events',
        auth: 'bearer',
        query: [
          { name: 'eventTypes', value: 'v1.patient.created,v1.patient.referralAcknowledged' },
          { name: 'since', value: '2024-01-01T00:00:00Z' },
          { name: 'limit', value: '50' },
        ],
      }),
      request({
        name: 'Microsite sites',
        description: 'Study Websites (microsites) site list. Sent WITHOUT an Authorization header — the endpoint rejects one.',
        method: 'GET',
        url: '/microsites-api/v1/{{micrositeId}}/sites/{{trialId}}',
        auth: 'none',
      }),
    ],
  };
}
