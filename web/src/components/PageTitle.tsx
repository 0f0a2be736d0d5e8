// The page's <h1> (focusable, so navigation can move focus to it) and the document title.
import { useDocumentTitle } from '../hooks';

export function PageTitle({ children }: { children: string }) {
  useDocumentTitle(children);
  return (
    <h1 class="page-title" tabIndex={-1}>
      {children}
    </h1>
  );
}
