// The page's <h1> (focusable, so navigation can move focus to it) and the document title.
import { useDocumentTitle } from '../hooks';

export function PageTitle({ children, visuallyHidden = false }: { children: string; visuallyHidden?: boolean }) {
  useDocumentTitle(children);
  return (
    <h1 class={visuallyHidden ? 'page-title visually-hidden' : 'page-title'} tabIndex={-1}>
      {children}
    </h1>
  );
}
