// A message screen readers announce as soon as it appears (role="alert").
import type { ComponentChildren } from 'preact';
import { t } from '../i18n';

export function Alert({ children }: { children: ComponentChildren }) {
  return (
    <div role="alert" class="alert alert--error">
      {children}
    </div>
  );
}

/** The error of a failed load, with a button to try again. */
export function LoadError({ text, onRetry }: { text: string; onRetry: () => void }) {
  return (
    <div role="alert" class="alert alert--error">
      <p>{text}</p>
      <button type="button" class="button button--small button--quiet" onClick={onRetry}>
        {t('common.retry')}
      </button>
    </div>
  );
}

/** A polite "loading" line for screen readers and eyes alike. */
export function Loading() {
  return (
    <p class="loading" role="status">
      {t('common.loading')}
    </p>
  );
}
