// Sites: `GET /rpi/sites` and `GET /rpi/sites/{siteId}` [doc; shapes obs], and the site/trial lookups
// the referral and event calls need. Also the public microsites call
// `GET /microsites-api/v1/{micrositeId}/sites/{trialId}` [doc]: no Authorization, an Origin header.
import { bigJsonArray, makeSites, publicSite, SANDBOX_TRIALS, type SandboxSite, type SandboxSiteTrial, type SandboxTrial } from './data';
import { json, JSON_TYPE, methodNotAllowed, notFound, type SandboxAnswer, type SandboxRequest } from './sandboxHttp';

export class SiteDirectory {
  readonly sites: readonly SandboxSite[];
  readonly trials: readonly SandboxTrial[] = SANDBOX_TRIALS;
  private readonly byId: ReadonlyMap<string, SandboxSite>;
  private readonly trialIds: ReadonlySet<string>;
  private readonly listJson: Buffer;

  constructor(count?: number) {
    this.sites = makeSites(count);
    this.byId = new Map(this.sites.map((s) => [s.id, s]));
    this.trialIds = new Set(this.trials.map((t) => t.id));
    this.listJson = Buffer.from(JSON.stringify(this.sites.map(publicSite)), 'utf8');
  }

  site(id: string): SandboxSite | undefined {
    return this.byId.get(id);
  }

  trialExists(id: string): boolean {
    return this.trialIds.has(id);
  }

  /** The trial of a site, if the site runs it. */
  trialAt(site: SandboxSite, trialId: string): SandboxSiteTrial | undefined {
    return site.trials.find((t) => t.id === trialId);
  }

  /** `GET /rpi/sites` (segments ['rpi','sites']); `bigJsonMb` > 0 answers a big array instead (a fault). */
  answerList(req: SandboxRequest, bigJsonMb: number): SandboxAnswer {
    if (req.method !== 'GET') return methodNotAllowed('GET');
    return { status: 200, raw: bigJsonMb > 0 ? bigJsonArray(bigJsonMb) : this.listJson, headers: { 'content-type': JSON_TYPE } };
  }

  /** `GET /rpi/sites/{siteId}`. */
  answerOne(req: SandboxRequest, siteId: string): SandboxAnswer {
    if (req.method !== 'GET') return methodNotAllowed('GET');
    const site = this.site(siteId);
    return site ? json(200, publicSite(site)) : siteNotFound(siteId);
  }

  /** `GET /microsites-api/v1/{micrositeId}/sites/{trialId}`: public, so an Authorization header is refused. */
  answerMicrosite(req: SandboxRequest): SandboxAnswer {
    if (req.headers.authorization !== undefined) {
      return json(400, { message: 'The microsites API is public: send this request without an Authorization header.' });
    }
    const segments = req.segments; // microsites-api, v1, :micrositeId, sites, :trialId
    if (segments.length !== 5 || segments[3] !== 'sites') return notFound(`No route for ${req.method} ${req.path}`);
    if (req.method !== 'GET') return methodNotAllowed('GET');
    const origin = req.headers.origin;
    if (typeof origin !== 'string' || origin.trim() === '') {
      return json(403, { message: 'Origin header required: the microsites API answers only requests from a study website (e.g. Origin: https://example.com).' });
    }
    const [, , micrositeId, , trialId] = segments;
    const trial = this.trials.find((t) => t.id === trialId && t.micrositeId === micrositeId);
    if (!trial) return notFound(`Microsite ${micrositeId} has no trial ${trialId}`);
    // Microsite ids are not RPI ids [doc]: a separate numbering ("MS-…"), with the sponsor site id shared.
    const sites = this.sites.flatMap((site, index) => {
      const at = this.trialAt(site, trial.id);
      if (!at) return [];
      return [{
        siteId: `MS-${String(5001 + index)}`,
        displayName: site.siteName,
        siteName: site.siteName,
        sponsorSiteId: at.sponsorSiteId,
        street: site.street,
        address1: site.street,
        address2: '',
        city: site.city,
        state: site.state,
        postalCode: site.postalCode,
        latitude: site.latitude,
        longitude: site.longitude,
      }];
    });
    return json(200, sites, { 'access-control-allow-origin': origin, vary: 'Origin' });
  }
}

export function siteNotFound(siteId: string): SandboxAnswer {
  return notFound(`Site ${siteId} not found`);
}
