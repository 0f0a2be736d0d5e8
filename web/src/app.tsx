// The app: picks the page for the current path and re-renders everything when the language changes.
import { useEffect, useState } from 'preact/hooks';
import { Layout } from './components/Layout';
import { getLang, onLangChange } from './i18n';
import { HomePage } from './pages/HomePage';
import { NotFoundPage } from './pages/NotFoundPage';
import { PatronLoginPage } from './pages/PatronLoginPage';
import { StaffLoginPage } from './pages/StaffLoginPage';
import { TransparencyPage } from './pages/TransparencyPage';
import { useRoute } from './router';

/** Path → page. Trailing slashes are ignored ("/staff/" is "/staff"). */
function pageFor(path: string) {
  switch (path.replace(/(.)\/+$/, '$1')) {
    case '/':
      return <HomePage />;
    case '/login':
      return <PatronLoginPage />;
    case '/staff':
      return <StaffLoginPage />;
    case '/transparency':
      return <TransparencyPage />;
    default:
      return <NotFoundPage />;
  }
}

export function App() {
  const path = useRoute();
  // A language change re-renders the whole tree (no page is memoized), so every t() reads the
  // new table while form fields keep what was typed.
  const [, setLangState] = useState(getLang());
  useEffect(() => onLangChange(setLangState), []);
  return (
    <Layout path={path}>
      {pageFor(path)}
    </Layout>
  );
}
