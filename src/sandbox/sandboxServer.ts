// A local StudyTeam look-alike: an Auth0-style client-credentials token endpoint and the documented
// StudyTeam API calls (../shared/STUDYTEAM_API.md) over in-memory fake data, with fault switches for
// tests. This file listens, reads bodies and sends answers; sandboxRouter.ts picks the resource module
// that answers. Plain Node, no vscode.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Environment } from '../core/model';
import { exampleVariables, seedHistory, type SandboxSite, type SandboxTrial } from './data';
import { randomClient, SandboxAuth, type SandboxClient } from './sandboxAuth';
import { EventLog, type SandboxEvent } from './sandboxEvents';
import { defaultFaults, type SandboxFaults } from './sandboxFaults';
import { copyHeaders, hasBody, json, JSON_TYPE, pushBounded, readBody, safeDecode, type SandboxAnswer, type SandboxRequest } from './sandboxHttp';
import type { JwtClaims } from './sandboxJwt';
import { ReferralDesk, type AcknowledgeResult, type SandboxSubject } from './sandboxReferrals';
import { routeRequest, type SandboxResources } from './sandboxRouter';
import type { SandboxApiRequest, SandboxOptions } from './sandboxOptions';
import { SiteDirectory } from './sandboxSites';

const TOKEN_BODY_LIMIT = 64 * 1024;
const API_BODY_LIMIT = 10 * 1024 * 1024;
const BODIES_LIMIT = 1_000;
const DEFAULT_SCOPE = 'read:sites write:referrals read:events';
export const DEFAULT_SEED_EVENTS = 300;
const DEFAULT_MAX_EVENTS = 50_000;

export class SandboxServer {
  /** Starts a sandbox listening on `options.host`:`options.port` (127.0.0.1, a free port by default). */
  static async start(options: SandboxOptions = {}): Promise<SandboxServer> {
    const sandbox = new SandboxServer(options);
    await sandbox.listen(options.host ?? '127.0.0.1', options.port ?? 0);
    return sandbox;
  }

  faults: SandboxFaults = defaultFaults();
  readonly counters = { tokenRequests: 0, apiRequests: 0 };
  readonly name: string;
  readonly tokenLifetimeSeconds: number;
  readonly scope: string;
  readonly events: EventLog;

  private readonly server: Server;
  private readonly signingKey: string;
  private urlValue = '';
  private audienceValue = '';
  private authValue: SandboxAuth | undefined;
  private readonly bodies: string[] = [];
  private last: { method: string; path: string; headers: IncomingHttpHeaders } | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly directory: SiteDirectory;
  private readonly referrals: ReferralDesk;
  private stopping: Promise<void> | undefined;

  private constructor(private readonly options: SandboxOptions) {
    this.name = options.name ?? 'StudyTeam sandbox';
    this.tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 900;
    this.scope = options.scope ?? DEFAULT_SCOPE;
    this.signingKey = options.signingKey ?? randomBytes(32).toString('base64url');
    const seedEvents = Math.max(0, Math.floor(options.seedEvents ?? DEFAULT_SEED_EVENTS));
    this.directory = new SiteDirectory();
    this.events = new EventLog(Math.max(options.maxEvents ?? DEFAULT_MAX_EVENTS, seedEvents));
    this.referrals = new ReferralDesk(this.directory, this.events, Math.max(20_000, seedEvents));
    for (const step of seedHistory(this.directory.sites, seedEvents)) this.referrals.seed(step);
    const handler = (req: IncomingMessage, res: ServerResponse): void => this.handle(req, res);
    // An https.Server has the same request/close API; typed as the http one it is used as.
    this.server = options.tls ? (createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handler) as unknown as Server) : createServer(handler);
    this.server.keepAliveTimeout = 120_000;
    this.server.headersTimeout = 125_000;
  }

  /** http://127.0.0.1:PORT (https://… with `tls`; `publicHost` in place of the address) */
  get url(): string {
    return this.urlValue;
  }
  get tokenUrl(): string {
    return `${this.urlValue}/oauth/token`;
  }
  /** The audience the default client may request (the url unless options.audience). */
  get audience(): string {
    return this.audienceValue;
  }
  get issuer(): string {
    return `${this.urlValue}/`;
  }
  /** The first client is the default one. */
  get clients(): readonly SandboxClient[] {
    return this.auth.clients;
  }
  /** Every token this sandbox issued or minted (the last 20,000, for leak scans). */
  get issuedTokens(): readonly string[] {
    return this.auth.issuedTokens;
  }
  /** Raw non-empty request bodies of API calls, in order (the last 1,000; patient data, for leak scans). */
  get receivedBodies(): readonly string[] {
    return this.bodies;
  }
  /** Method, path (with query) and headers of the last API request (not /oauth/token). */
  get lastApiRequest(): SandboxApiRequest | undefined {
    const last = this.last;
    return last && { method: last.method, path: last.path, headers: copyHeaders(last.headers) };
  }
  /** Fake data, for tests that need real ids (e.g. `sites[0].id`, `sites[0].trials[0].sponsorSiteId`). */
  get data(): { readonly sites: readonly SandboxSite[]; readonly trials: readonly SandboxTrial[] } {
    return { sites: this.directory.sites, trials: this.directory.trials };
  }

  /** A referral subject the sandbox holds (there is no public GET for one). */
  subject(siteId: string, subjectId: string): SandboxSubject | undefined {
    return this.referrals.subject(siteId, subjectId);
  }
  /** Subjects, newest first. */
  recentSubjects(limit?: number): SandboxSubject[] {
    return this.referrals.recent(limit);
  }
  /** Simulates a site user reviewing a referral: moves its status and publishes v1.patient.referralAcknowledged. */
  acknowledgeReferral(siteId: string, subjectId: string, status?: string): AcknowledgeResult {
    return this.referrals.acknowledge(siteId, subjectId, status);
  }
  /** The retained events feed, oldest first. */
  allEvents(): SandboxEvent[] {
    return this.events.all();
  }

  /** Ids of the sandbox's data for the StudyTeam examples' variables (see `exampleVariables` in data.ts). */
  exampleVariables(): Record<string, string> {
    return exampleVariables(this.directory.sites, this.directory.trials);
  }

  /** An Environment pointing at this sandbox (not production unless asked). */
  environment(id = 'sandbox', production = false): Environment {
    return { id, name: this.name, baseUrl: this.urlValue, production };
  }

  /** Signs a token with this sandbox's key (defaults: a valid token of the default client). Recorded in issuedTokens. */
  mintToken(overrides: JwtClaims = {}): string {
    return this.auth.mintToken(overrides);
  }

  resetCounters(): void {
    this.counters.tokenRequests = 0;
    this.counters.apiRequests = 0;
  }

  resetFaults(): void {
    Object.assign(this.faults, defaultFaults());
  }

  /** Closes the server, every open (keep-alive) connection and pending delayed answer. Idempotent. */
  stop(): Promise<void> {
    if (!this.stopping) {
      this.stopping = new Promise<void>((resolve) => {
        for (const t of this.timers) clearTimeout(t);
        this.timers.clear();
        if (!this.server.listening) {
          resolve();
          return;
        }
        this.server.close(() => resolve());
        this.server.closeAllConnections();
      });
    }
    return this.stopping;
  }

  private get auth(): SandboxAuth {
    if (!this.authValue) throw new Error('The sandbox is not listening yet.');
    return this.authValue;
  }

  private listen(host: string, port: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        const address = this.server.address() as AddressInfo;
        const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
        this.urlValue = `${this.options.tls ? 'https' : 'http'}://${this.options.publicHost ?? hostPart}:${address.port}`;
        this.audienceValue = this.options.audience ?? this.urlValue;
        this.authValue = new SandboxAuth({
          clients: this.options.clients?.length ? [...this.options.clients] : [randomClient(this.audienceValue)],
          audience: this.audienceValue,
          issuer: this.issuer,
          signingKey: this.signingKey,
          tokenLifetimeSeconds: this.tokenLifetimeSeconds,
          scope: this.scope,
        });
        resolve();
      });
    });
  }

  // ---- dispatch -------------------------------------------------------------------------------

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const query = q < 0 ? '' : rawUrl.slice(q + 1);
    const tooLarge = (limit: number) => (): void =>
      this.send(res, json(413, { error: 'invalid_request', error_description: `Request body larger than ${limit} bytes.` }), false);
    if (path === '/oauth/token') {
      this.counters.tokenRequests++;
      readBody(req, TOKEN_BODY_LIMIT, (body) => this.later(this.faults.tokenDelayMs, () => {
        const answer = this.auth.answerToken(req, body, this.faults);
        if ('drop' in answer) req.socket.destroy();
        else this.send(res, answer, false);
      }), tooLarge(TOKEN_BODY_LIMIT));
      return;
    }
    this.counters.apiRequests++;
    this.last = { method: req.method ?? 'GET', path: rawUrl, headers: req.headers };
    const proceed = (body: Buffer): void => {
      if (body.length > 0) pushBounded(this.bodies, body.toString('utf8'), BODIES_LIMIT);
      const request: SandboxRequest = {
        method: req.method ?? 'GET',
        path,
        segments: path.split('/').filter((s) => s.length > 0).map(safeDecode),
        query: new URLSearchParams(query),
        headers: req.headers,
        body,
      };
      this.later(this.faults.apiDelayMs, () => this.send(res, this.answerSafely(request), true));
    };
    if (hasBody(req)) readBody(req, API_BODY_LIMIT, proceed, tooLarge(API_BODY_LIMIT));
    else {
      req.resume();
      proceed(EMPTY);
    }
  }

  private later(ms: number, fn: () => void): void {
    if (!(ms > 0)) {
      fn();
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  private answerSafely(req: SandboxRequest): SandboxAnswer {
    try {
      const resources: SandboxResources = {
        auth: this.auth, faults: this.faults, events: this.events, directory: this.directory, referrals: this.referrals, url: this.urlValue,
      };
      return routeRequest(resources, req);
    } catch {
      return json(500, { message: 'The sandbox failed to answer this request.' });
    }
  }

  // ---- responses ------------------------------------------------------------------------------

  private send(res: ServerResponse, answer: SandboxAnswer, api: boolean): void {
    if (res.headersSent || res.destroyed) return;
    if ('drop' in answer) {
      res.socket?.destroy();
      return;
    }
    const body = 'raw' in answer ? answer.raw : Buffer.from(JSON.stringify(answer.json), 'utf8');
    const headers = 'raw' in answer ? { ...answer.headers } : { ...answer.headers, 'content-type': JSON_TYPE };
    res.writeHead(answer.status, { ...headers, 'content-length': String(body.length) });
    if (api && this.faults.apiDropMidBody && body.length > 1) {
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
      return;
    }
    res.end(body);
  }
}

const EMPTY = Buffer.alloc(0);
