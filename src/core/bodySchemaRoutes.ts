// Which requests have a documented body schema: matched by method and path pattern, so a saved or
// hand-typed request to those paths is checked. Tiny on purpose (no validator here): the extension asks
// this first and loads the validator (bodySchemas.ts) only when a request matches.

export type BodySchemaId = 'createReferral.v1' | 'updateReferralSubject.v1';

export interface BodySchemaRoute {
  readonly id: BodySchemaId;
  /** "Create referral v1" */
  readonly title: string;
  readonly method: 'POST' | 'PUT';
  /** Matched against the end of the URL's path (any base path or {{baseUrl}} before it). */
  readonly pattern: RegExp;
}

export const BODY_SCHEMA_ROUTES: readonly BodySchemaRoute[] = [
  { id: 'createReferral.v1', title: 'Create referral v1', method: 'POST', pattern: /\/rpi\/sites\/[^/]+\/referrals\/?$/ },
  { id: 'updateReferralSubject.v1', title: 'Update referral subject v1', method: 'PUT', pattern: /\/rpi\/sites\/[^/]+\/referrals\/subjects\/[^/]+\/?$/ },
];

/** The path of a request URL as typed: absolute, relative, or starting with {{baseUrl}}; query and fragment dropped. */
export function requestPath(url: string): string {
  let path = url.trim();
  const cut = path.search(/[?#]/);
  if (cut >= 0) path = path.slice(0, cut);
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(path);
  if (scheme) path = path.slice(scheme[0].length);
  if (!path.startsWith('/')) path = `/${path}`;
  return path;
}

/** The schema route of a request, if its method and path have one. */
export function bodySchemaRouteFor(method: string, url: string): BodySchemaRoute | undefined {
  const upper = method.toUpperCase();
  const path = requestPath(url);
  return BODY_SCHEMA_ROUTES.find((r) => r.method === upper && r.pattern.test(path));
}
