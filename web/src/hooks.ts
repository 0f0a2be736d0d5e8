// Small hooks shared by the pages.
import { useCallback, useEffect, useState } from 'preact/hooks';

export type AsyncState<T> =
  | { status: 'loading' }
  | { status: 'ok'; value: T }
  | { status: 'error'; error: unknown };

/**
 * Runs load() when deps change (aborting the previous run) and returns its state,
 * plus reload() to run it again. A load whose deps changed meanwhile is ignored.
 */
export function useAsync<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: readonly unknown[],
): [AsyncState<T>, () => void] {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' });
  const [round, setRound] = useState(0);
  useEffect(() => {
    const ctl = new AbortController();
    setState({ status: 'loading' });
    load(ctl.signal).then(
      (value) => {
        if (!ctl.signal.aborted) setState({ status: 'ok', value });
      },
      (error: unknown) => {
        if (!ctl.signal.aborted) setState({ status: 'error', error });
      },
    );
    return () => ctl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return [state, reload];
}

/** Sets document.title to "title · 書印 Bookstamp" while the page shows. */
/** Keeps the screen on while the component is shown (a card or code held up to a scanner). */
export function useScreenWakeLock(): void {
  useEffect(() => {
    if (!('wakeLock' in navigator)) return;
    let lock: WakeLockSentinel | null = null;
    let gone = false;
    const take = () => {
      if (document.visibilityState !== 'visible') return;
      navigator.wakeLock
        .request('screen')
        .then((l) => {
          if (gone) void l.release();
          else lock = l;
        })
        .catch(() => undefined); // refused (battery saver, no permission): the card still shows
    };
    take();
    // The browser drops the lock when the page is hidden; take it again on return.
    document.addEventListener('visibilitychange', take);
    return () => {
      gone = true;
      document.removeEventListener('visibilitychange', take);
      void lock?.release();
    };
  }, []);
}

export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · 書印 Bookstamp` : '書印 Bookstamp';
  }, [title]);
}
