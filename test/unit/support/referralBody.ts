// The referral-like request body the requests.json format tests share: the fields a real one has, {{variables}}
// inside strings, printed as the panel's Format writes it (2-space JSON).

const REFERRAL = {
  referral: [
    {
      subjectId: '{{subjectId}}',
      subjectCreatedAt: '2025-01-15T14:30:00Z',
      campaignCode: 'VSCODE-TEST',
      primaryTrial: { id: '{{trialId}}', sponsorSiteId: '{{sponsorSiteId}}' },
      birthDate: '1980-04-12',
      sex: 'female',
      name: [{ use: 'official', given: ['Jane'], family: 'Testpatient' }],
      telecom: [{ system: 'email', value: 'jane@example.com', use: 'home', rank: 1 }],
    },
  ],
};

/** The one referral entry of the body, for `change` to edit. */
export type ReferralEntry = (typeof REFERRAL)['referral'][0];

/** The body as 2-space JSON, after `change` edited a copy of its referral entry (the shared original stays as it is). */
export function referralBody(change: (r: ReferralEntry) => void = () => undefined): string {
  const body = structuredClone(REFERRAL);
  change(body.referral[0]!);
  return JSON.stringify(body, null, 2);
}
