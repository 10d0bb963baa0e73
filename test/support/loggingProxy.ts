// A forward proxy for tests that logs everything it sees: CONNECT tunnels (with every byte the client
// sends through them) and absolute-URI requests (request line, headers, body). It listens on
// 127.0.0.1, port 0. `hosts` lets it resolve names itself (e.g. studyteam.test → 127.0.0.1), so a
// target needs no DNS; `localAddress` makes its outgoing connections come from a given address, so a
// test server can tell proxied connections from direct ones. Optional Basic proxy authentication.
import * as http from 'node:http';
import * as net from 'node:net';

export interface ProxyLogEntry {
  readonly kind: 'connect' | 'forward';
  /** host:port of a CONNECT, the absolute URL of a forwarded request. */
  readonly target: string;
  /** Request line and headers as received. */
  readonly head: string;
  /** What the client sent after the head (tunnel bytes or the request body), as latin1 text. */
  clientBytes: string;
  /** 200 for an established tunnel, the upstream status for a forwarded request, 407/502 when refused. */
  status?: number;
}

export interface LoggingProxyOptions {
  /** Names the proxy resolves itself, e.g. { 'studyteam.test': '127.0.0.1' }. */
  hosts?: Readonly<Record<string, string>>;
  /** Source address of the proxy's outgoing connections (e.g. 127.0.0.3). */
  localAddress?: string;
  /** Require Basic proxy authentication with these credentials. */
  auth?: { readonly user: string; readonly password: string };
}

export class LoggingProxy {
  static async start(options: LoggingProxyOptions = {}): Promise<LoggingProxy> {
    const proxy = new LoggingProxy(options);
    await new Promise<void>((resolve, reject) => {
      proxy.server.once('error', reject);
      proxy.server.listen(0, '127.0.0.1', () => resolve());
    });
    return proxy;
  }

  readonly entries: ProxyLogEntry[] = [];
  private readonly server: http.Server;
  private readonly sockets = new Set<net.Socket>();

  private constructor(private readonly options: LoggingProxyOptions) {
    this.server = http.createServer((req, res) => this.forward(req, res));
    this.server.keepAliveTimeout = 60_000;
    this.server.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => this.tunnel(req, socket, head));
    this.server.on('connection', (socket: net.Socket) => this.track(socket));
  }

  /** http://127.0.0.1:PORT */
  get url(): string {
    const address = this.server.address() as net.AddressInfo;
    return `http://127.0.0.1:${address.port}`;
  }

  get connectCount(): number {
    return this.entries.filter((e) => e.kind === 'connect').length;
  }

  /** Everything the proxy saw, as one text (for leak scans). */
  text(): string {
    return this.entries.map((e) => `${e.head}\r\n${e.clientBytes}`).join('\n');
  }

  clear(): void {
    this.entries.length = 0;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private track(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  private authorized(req: http.IncomingMessage): boolean {
    const auth = this.options.auth;
    if (!auth) return true;
    const expected = `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}`;
    return req.headers['proxy-authorization'] === expected;
  }

  private resolve(host: string): string {
    const bare = host.replace(/^\[|\]$/g, '');
    return this.options.hosts?.[bare.toLowerCase()] ?? bare;
  }

  private entry(kind: ProxyLogEntry['kind'], target: string, req: http.IncomingMessage): ProxyLogEntry {
    let head = `${req.method} ${req.url} HTTP/${req.httpVersion}`;
    for (let i = 0; i < req.rawHeaders.length; i += 2) head += `\r\n${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`;
    const entry: ProxyLogEntry = { kind, target, head, clientBytes: '' };
    this.entries.push(entry);
    return entry;
  }

  private tunnel(req: http.IncomingMessage, client: net.Socket, head: Buffer): void {
    const target = req.url ?? '';
    const entry = this.entry('connect', target, req);
    entry.clientBytes += head.toString('latin1');
    client.on('data', (chunk: Buffer) => {
      entry.clientBytes += chunk.toString('latin1');
    });
    client.on('error', () => undefined);
    if (!this.authorized(req)) {
      entry.status = 407;
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const match = /^(.+):(\d+)$/.exec(target);
    if (!match) {
      entry.status = 400;
      client.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const upstream = net.connect({ host: this.resolve(match[1]), port: Number(match[2]), localAddress: this.options.localAddress });
    this.track(upstream);
    upstream.once('connect', () => {
      entry.status = 200;
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    upstream.on('error', () => {
      if (entry.status === undefined) {
        entry.status = 502;
        client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
      } else {
        client.destroy();
      }
    });
    client.once('close', () => upstream.destroy());
  }

  private forward(req: http.IncomingMessage, res: http.ServerResponse): void {
    const entry = this.entry('forward', req.url ?? '', req);
    req.on('data', (chunk: Buffer) => {
      entry.clientBytes += chunk.toString('latin1');
    });
    if (!this.authorized(req)) {
      entry.status = 407;
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"', 'content-length': '0' }).end();
      return;
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '');
      if (url.protocol !== 'http:') throw new Error('not http');
    } catch {
      entry.status = 400;
      res.writeHead(400, { 'content-length': '0' }).end();
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = unpatchedRequest()(
      { host: this.resolve(url.hostname), port: url.port || 80, path: `${url.pathname}${url.search}`, method: req.method, headers, localAddress: this.options.localAddress },
      (answer) => {
        entry.status = answer.statusCode;
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      entry.status = 502;
      if (!res.headersSent) res.writeHead(502, { 'content-length': '0' });
      res.end();
    });
    req.pipe(upstream);
  }
}

/**
 * In a VS Code extension host http.request is patched to apply `http.proxy`; the proxy's own upstream
 * requests must not be sent to the proxy itself. VS Code keeps the original functions on `__vscodeOriginal`.
 */
function unpatchedRequest(): typeof http.request {
  const original = (http as unknown as { __vscodeOriginal?: { request?: typeof http.request } }).__vscodeOriginal?.request;
  return original ?? http.request;
}
