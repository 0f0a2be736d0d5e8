// A tiny path router: the current path as state, navigate() to change it without a reload.
// The server answers index.html for any non-/api path, so deep links work.
import { useEffect, useState } from 'preact/hooks';

const listeners = new Set<() => void>();

/** Goes to path (same origin) and re-renders every useRoute() user. */
export function navigate(path: string, opts: { replace?: boolean } = {}): void {
  if (path === location.pathname + location.search) return;
  if (opts.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  listeners.forEach((fn) => fn());
  window.scrollTo(0, 0);
}

/** The current location.pathname, kept up to date with navigate() and back/forward. */
export function useRoute(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    listeners.add(update);
    window.addEventListener('popstate', update);
    // A child's effect may have navigated before this listener existed (effects run child first).
    update();
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return path;
}
