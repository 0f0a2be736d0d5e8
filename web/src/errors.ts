// Turns anything a call can throw into one sentence for the patron, in the current language.
import { ApiError } from './api';
import { t, type MessageKey } from './i18n';

/**
 * One sentence for err. `overrides` names the string for specific codes on this page
 * (e.g. UNAUTHENTICATED on a sign-in form means a wrong PIN, not an expired session).
 */
export function errorText(err: unknown, overrides: Partial<Record<string, MessageKey>> = {}): string {
  if (err instanceof ApiError) {
    const own = overrides[err.code];
    if (own) return t(own);
    switch (err.code) {
      case 'NETWORK_ERROR':
        return t('error.network');
      case 'UNAUTHENTICATED':
        return t('error.unauthenticated');
      case 'RATE_LIMITED':
        return t('error.rateLimited');
      case 'UNAVAILABLE':
        return t('error.unavailable');
    }
    // The server writes its messages in the request's language (Accept-Language).
    if (err.message && err.message !== err.code) return err.message;
    return t('error.generic', { code: err.code });
  }
  return t('error.generic', { code: err instanceof Error ? err.name : 'ERROR' });
}
