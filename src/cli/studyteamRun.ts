// `studyteam-run`: runs saved requests and their checks outside VS Code (CI), on the same core as the
// extension. Exit 0 all passed, 1 a check or request failed, 2 usage/configuration/authentication error.
// Never prints a secret, a token or a body (unless --verbose-bodies, and then redacted). No `vscode`.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AuthService } from '../core/authService';
import { schemaCheckOf } from '../core/bodySchemas';
import { CollectionRunner, containsWrites, WRITE_METHODS, type CollectionItem } from '../core/collectionRunner';
import { errorMessage } from '../core/errors';
import { createNodeFetch, type FetchLike } from '../core/http';
import { ProxyAgents, ProxyConfigurationError } from '../core/proxyAgents';
import type { Environment } from '../core/model';
import { RequestRunner } from '../core/requestRunner';
import { jsonReport, junitReport, specReport, type ReportContext } from '../core/runReports';
import { allFolders, allRequests, type SavedCollection } from '../core/savedRequests';
import { parseCollection } from '../core/savedRequestsFile';
import { ConfigError, credentialsFromProcessEnv, credentialVariableNames, resolveEnvironment } from './cliEnvironment';
import { parseRunArgs, USAGE, type RunArgs } from './runArgs';

export interface CliIo {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** The HTTP seam. Default: node-fetch routed by ProxyAgents (HTTPS_PROXY/NO_PROXY from `env`, or --proxy). */
  readonly fetch?: FetchLike;
  /** Aborts the run (the entry point wires SIGINT/SIGTERM). */
  readonly signal?: AbortSignal;
}

export const EXIT_PASSED = 0;
export const EXIT_FAILED = 1;
export const EXIT_ERROR = 2;

function loadCollection(args: RunArgs, cwd: string): SavedCollection {
  const file = resolve(cwd, args.file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(`${args.file}: ${code === 'ENOENT' ? 'no such file (give --file, or run from the workspace folder)' : `cannot read (${code ?? 'error'})`}.`);
  }
  const parsed = parseCollection(text);
  if (!parsed.ok) {
    const where = parsed.line !== undefined ? `:${parsed.line}:${parsed.column}` : '';
    throw new ConfigError(`${args.file}${where}: ${parsed.errors.join('\n  ')}`);
  }
  return parsed.value;
}

function selectItems(collection: SavedCollection, folder: string | undefined): { title: string; items: CollectionItem[] } {
  if (folder === undefined) return { title: 'All saved requests', items: allRequests(collection).map((r) => ({ request: r.request, folderPath: r.folderPath })) };
  const folders = allFolders(collection);
  const wanted = folder.split('/').map((s) => s.trim()).filter(Boolean).join('/');
  const found = folders.find((f) => f.path.join('/') === wanted) ?? folders.find((f) => f.folder.name === folder) ?? folders.find((f) => f.folder.name.toLowerCase() === folder.toLowerCase());
  if (!found) {
    const known = folders.map((f) => `"${f.path.join('/')}"`).join(', ');
    throw new ConfigError(`There is no folder "${folder}". ${known ? `Folders: ${known}.` : 'The file has no folders.'}`);
  }
  const parentPath = found.path.slice(0, -1);
  const items = allRequests([found.folder]).map((r) => ({ request: r.request, folderPath: [...parentPath, ...r.folderPath] }));
  return { title: found.path.join('/'), items };
}

function refuseProductionWrites(env: Environment, items: readonly CollectionItem[], args: RunArgs): void {
  if (!env.production || args.allowProductionWrites || !containsWrites(items)) return;
  const writes = items.filter((i) => WRITE_METHODS.has(i.request.method)).map((i) => `"${i.request.name}" (${i.request.method})`);
  throw new ConfigError(`${env.name} is a production environment and this run writes: ${writes.slice(0, 5).join(', ')}${writes.length > 5 ? ', …' : ''}. Nothing was sent. Add --allow-production-writes if that is intended.`);
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseRunArgs(argv);
  if ('error' in parsed) {
    io.stderr(`studyteam-run: ${parsed.error}\nRun studyteam-run --help for the options.\n`);
    return EXIT_ERROR;
  }
  const args = parsed.args;
  if (args.help) {
    io.stdout(USAGE);
    return EXIT_PASSED;
  }
  const secrets: string[] = [];
  let proxies: ProxyAgents | undefined;
  try {
    const collection = loadCollection(args, io.cwd);
    const { title, items } = selectItems(collection, args.folder);
    if (!items.length) throw new ConfigError(`"${title}" has no requests to run.`);
    const env = resolveEnvironment(args, io.cwd, io.env);
    refuseProductionWrites(env, items, args);
    const credentials = credentialsFromProcessEnv(env, io.env);
    if (credentials) secrets.push(credentials.clientSecret);
    if (!credentials && items.some((i) => i.request.auth === 'bearer')) {
      const names = credentialVariableNames(env.id);
      throw new ConfigError(`No credentials for ${env.name} in the environment: set ${names.id} and ${names.secret} (or STUDYTEAM_CLIENT_ID and STUDYTEAM_CLIENT_SECRET). They are never read from arguments or files.`);
    }
    let fetch = io.fetch;
    if (!fetch) {
      proxies = new ProxyAgents({ env: io.env, ...(args.proxy ? { proxy: args.proxy } : {}) });
      fetch = createNodeFetch(proxies.chooser);
      const route = proxies.describeRoute(env.baseUrl);
      if (route !== 'direct') io.stderr(`studyteam-run: ${env.name} ${route}\n`);
    }
    const auth = new AuthService({ credentials: { get: async () => credentials }, fetch });
    const guard = async (e: Environment, request: { method: string }): Promise<boolean> => !e.production || args.allowProductionWrites || !WRITE_METHODS.has(request.method);
    const runner = new RequestRunner({ auth, guard, fetch, ...(args.timeoutMs ? { timeoutMs: args.timeoutMs } : {}) });
    const summary = await new CollectionRunner({ runner, auth }).run({
      environment: env,
      items,
      variables: args.vars,
      iterations: args.iterations,
      delayMs: args.delayMs,
      stopOnFailure: args.stopOnFailure,
      schema: schemaCheckOf,
      keepBodies: args.verboseBodies,
      ...(io.signal ? { signal: io.signal } : {}),
    });
    const token = auth.peek(env);
    if (token) secrets.push(token.value);
    const ctx: ReportContext = { items, iterations: args.iterations, title, secrets };
    const report = args.reporter === 'junit' ? junitReport(summary, ctx) : args.reporter === 'json' ? jsonReport(summary, ctx) : specReport(summary, ctx);
    if (args.out) {
      writeFileSync(resolve(io.cwd, args.out), report);
      io.stdout(specReport(summary, ctx));
      io.stdout(`Report (${args.reporter}) written to ${args.out}\n`);
    } else {
      io.stdout(report);
    }
    if (summary.fatal) {
      io.stderr(`studyteam-run: ${errorMessage(new Error(summary.fatal.message), secrets)}\n`);
      return EXIT_ERROR;
    }
    return summary.totals.failed > 0 || summary.totals.skipped > 0 ? EXIT_FAILED : EXIT_PASSED;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof ProxyConfigurationError) {
      io.stderr(`studyteam-run: ${errorMessage(error, secrets)}\n`);
      return EXIT_ERROR;
    }
    io.stderr(`studyteam-run: unexpected failure: ${errorMessage(error, secrets)}\n`);
    return EXIT_ERROR;
  } finally {
    proxies?.destroy();
  }
}
