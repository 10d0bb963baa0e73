// Copy as curl, the one flow for the tree and the request panel. By default the command reads the token from
// the shell variable $STUDYTEAM_TOKEN: it works once the user exports the variable (Copy Access Token gives the
// value), no question is asked, and the clipboard never holds a token. Only an explicit "with token" copy puts a
// live token into the command, after a confirmation.
import * as vscode from 'vscode';
import { Commands } from '../commandIds';
import type { AuthService } from '../core/authService';
import type { ApiRequest, Environment, Logger } from '../core/model';
import { resolveVariables, variablesOf } from '../core/variables';
import type { Confirmations } from './confirmations';
import { curlModule } from './lazyModules';

export interface CurlCopyDeps {
  readonly auth: AuthService;
  readonly confirmations: Confirmations;
  readonly logger: Logger;
}

export interface CurlCopied {
  /** The copied command. Holds a live token only when `withToken`. */
  readonly text: string;
  readonly withToken: boolean;
  /** One sentence on what was copied and, when the command reads $STUDYTEAM_TOKEN, how to set it. */
  readonly note: string;
}

/** The notification's action: copies the token to set the variable with (Copy Access Token asks first). */
export const COPY_TOKEN_ACTION = 'Copy Access Token';

/**
 * Copies `request` on `env` as a curl command and says so in a notification (with a "Copy Access Token" action when
 * the command reads $STUDYTEAM_TOKEN). undefined: the user declined the live-token confirmation.
 */
export async function copyRequestAsCurl(
  deps: CurlCopyDeps,
  request: ApiRequest,
  env: Environment,
  options: { readonly name: string; readonly includeToken?: boolean },
): Promise<CurlCopied | undefined> {
  const { curlCarriesToken, TOKEN_SHELL_VARIABLE, toCurl } = curlModule();
  // Never a token for a URL off the environment's API origin (toCurl leaves it out there, as the runner does).
  const carriesToken = curlCarriesToken(request, env);
  let token: string | undefined;
  if (options.includeToken === true && carriesToken) {
    const ok = await deps.confirmations.confirm({
      message: `Copy a curl command that contains a live access token for ${env.name}?`,
      detail: `Anyone holding the token can call the API as your client until it expires. Do not paste it into chats, tickets or files. Without the token, the command reads it from $${TOKEN_SHELL_VARIABLE}.`,
      confirmLabel: 'Copy with Token',
    });
    if (!ok) return undefined;
    token = (await deps.auth.getToken(env)).value;
  }
  const text = toCurl(request, env, token !== undefined ? { token } : {});
  await vscode.env.clipboard.writeText(text);
  const { unresolved } = resolveVariables(request, variablesOf(env));
  const unresolvedNote = unresolved.length ? ` It still contains ${unresolved.map((n) => `{{${n}}}`).join(', ')}: define them in ${env.name}'s variables.` : '';
  let note: string;
  if (token !== undefined) note = `Copied "${options.name}" as curl with a live ${env.name} access token — handle with care.`;
  else if (carriesToken) {
    note = `Copied "${options.name}" as curl. It reads the ${env.name} token from $${TOKEN_SHELL_VARIABLE}: run "Copy Access Token", then in your terminal: export ${TOKEN_SHELL_VARIABLE}='<paste>'.`;
  } else if (request.auth === 'bearer') note = `Copied "${options.name}" as curl, without a token: the URL is not on ${env.name}'s API.`;
  else note = `Copied "${options.name}" as curl.`;
  note += unresolvedNote;
  deps.logger.log('info', 'curl', `copied "${options.name}" as curl (${token !== undefined ? 'with token' : carriesToken ? `token from $${TOKEN_SHELL_VARIABLE}` : 'no token'})`);
  if (carriesToken && token === undefined) void offerToken(env, text, note);
  else void vscode.window.showInformationMessage(`StudyTeam: ${note}`);
  return { text, withToken: token !== undefined, note };
}

/** The notification of a copy that reads $STUDYTEAM_TOKEN: Copy Access Token (which asks first), then the command again. */
async function offerToken(env: Environment, text: string, note: string): Promise<void> {
  const { TOKEN_SHELL_VARIABLE } = curlModule();
  if ((await vscode.window.showInformationMessage(`StudyTeam: ${note}`, COPY_TOKEN_ACTION)) !== COPY_TOKEN_ACTION) return;
  if ((await vscode.commands.executeCommand<boolean>(Commands.copyAccessToken, env.id)) !== true) return;
  const again = 'Copy curl Again';
  const pick = await vscode.window.showInformationMessage(
    `StudyTeam: the ${env.name} token is on the clipboard. In your terminal run export ${TOKEN_SHELL_VARIABLE}='<paste>', then copy the curl command again.`,
    again,
  );
  if (pick === again) await vscode.env.clipboard.writeText(text);
}
