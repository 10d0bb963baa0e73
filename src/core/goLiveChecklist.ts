// The go-live checklist as a folder of saved requests that check themselves: list sites → create a
// referral → update its subject → see its event. Values flow by captures ({{siteId}}, {{trialId}},
// {{sponsorSiteId}} from the site list; {{subjectId}} and {{referralId}} from the referral's answer), so it
// runs on any environment with no variables defined. The body holds made-up test data. No `vscode`.
import { newId } from './savedRequests';
import type { SavedFolderNode } from './savedRequests';
import { jsonBodyText } from './savedRequestBody';
import { requestBuilder, sampleReferralBody, type IdFactory } from './sampleRequests';

export const GO_LIVE_FOLDER = 'Go-live checklist';

const REFERRAL_BODY = sampleReferralBody({
  subjectId: 'golive-{{$guid}}',
  campaignCode: 'GO-LIVE-CHECK',
  question: 'Interested in the study?',
  answer: 'Yes',
});

const UPDATE_BODY = jsonBodyText({
  status: 'preScreening',
  encounter: [{ source: 'web', response: { item: [{ linkId: '2', text: 'Best time to call?', answer: [{ valueString: 'Mornings' }] }] } }],
});

export function goLiveChecklist(idFactory: IdFactory = newId): SavedFolderNode {
  const { request, jsonRequest } = requestBuilder(idFactory);
  return {
    kind: 'folder',
    id: idFactory('folder'),
    name: GO_LIVE_FOLDER,
    children: [
      request({
        name: 'Sites are listed',
        description: 'The client sees at least one referral site with a trial; its ids flow into the next requests.',
        method: 'GET',
        url: '/rpi/sites',
        auth: 'bearer',
        expect: [
          { kind: 'status', op: 'equals', value: 200 },
          { kind: 'json', path: '$', op: 'type', value: 'array' },
          { kind: 'json', path: '$[0].trials[0].sponsorSiteId', op: 'exists' },
        ],
        capture: [
          { name: 'siteId', from: 'json', path: '$[0].id' },
          { name: 'trialId', from: 'json', path: '$[0].trials[0].id' },
          { name: 'sponsorSiteId', from: 'json', path: '$[0].trials[0].sponsorSiteId' },
        ],
      }),
      jsonRequest({
        name: 'Referral is accepted',
        description: 'A v1 referral for the first trial of the first site: 202 with the referral echoed back.',
        method: 'POST',
        url: '/rpi/sites/{{siteId}}/referrals',
        body: REFERRAL_BODY,
        expect: [
          { kind: 'status', op: 'equals', value: 202 },
          { kind: 'json', path: '$.id', op: 'exists' },
          { kind: 'json', path: '$.payload.referral[0].primaryTrial.id', op: 'equals', value: '{{trialId}}' },
          { kind: 'responseTime', op: 'below', value: 5000 },
        ],
        capture: [
          { name: 'referralId', from: 'json', path: '$.id' },
          { name: 'subjectId', from: 'json', path: '$.payload.referral[0].subjectId' },
        ],
      }),
      jsonRequest({
        name: 'Subject update is accepted',
        description: 'The referral subject just created moves to pre-screening and gets an encounter.',
        method: 'PUT',
        url: '/rpi/sites/{{siteId}}/referrals/subjects/{{subjectId}}',
        body: UPDATE_BODY,
        expect: [
          { kind: 'status', op: 'equals', value: 202 },
          { kind: 'json', path: '$.subjectId', op: 'equals', value: '{{subjectId}}' },
        ],
      }),
      request({
        name: 'Referral shows in the events',
        description: 'The events feed of the last 10 minutes has a v1.patient.created event for the subject.',
        method: 'GET',
        url: '/rpi/events',
        auth: 'bearer',
        query: [
          { name: 'eventTypes', value: 'v1.patient.created' },
          { name: 'since', value: '{{$datetime iso8601 -10 m}}' },
          { name: 'limit', value: '100' },
        ],
        expect: [
          { kind: 'status', op: 'equals', value: 200 },
          { kind: 'json', path: '$.events', op: 'type', value: 'array' },
          { kind: 'json', path: '$.events[*].message.referralSubjectId', op: 'matches', value: '"{{subjectId}}"' },
        ],
      }),
    ],
  };
}
