// The production guard: the RequestRunner calls it before anything is sent, so every sender (tree, panel,
// commands, other extensions through the API) goes through it.
import type { Confirmations } from './confirmations';
import type { SendGuard } from '../core/requestRunner';
import type { Logger } from '../core/model';

const SAFE_METHODS = new Set(['GET', 'HEAD']);

export function createProductionGuard(confirmations: Confirmations, confirmEnabled: () => boolean, logger: Logger): SendGuard {
  return async (env, request) => {
    if (!env.production || SAFE_METHODS.has(request.method) || !confirmEnabled()) return true;
    const confirmed = await confirmations.confirm({
      message: `${env.name} is a production environment. Send ${request.method} ${stripQuery(request.url)}?`,
      detail: 'This changes real data. (Setting: studyteam.confirmProductionWrites)',
      confirmLabel: `Send to ${env.name}`,
      safeDefault: true,
    });
    logger.log('info', 'http', `${env.name}: ${request.method} to production ${confirmed ? 'confirmed' : 'declined'}`);
    return confirmed;
  };
}

/** The modal names the URL, but query values may carry patient identifiers: show the path only. */
function stripQuery(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : `${url.slice(0, q)}?…`;
}
