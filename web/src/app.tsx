// The app: picks the page for the current path and re-renders everything when the language changes.
import { useEffect, useState } from 'preact/hooks';
import { Layout } from './components/Layout';
import { getLang, onLangChange } from './i18n';
import { AccountPage } from './pages/AccountPage';
import { BibPage } from './pages/BibPage';
import { CardPage } from './pages/CardPage';
import { CheckoutPage } from './pages/CheckoutPage';
import { ClaimPage } from './pages/ClaimPage';
import { EventsPage } from './pages/EventsPage';
import { HistoryPage } from './pages/HistoryPage';
import { HomePage } from './pages/HomePage';
import { InboxPage } from './pages/InboxPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { NoticePrefsPage } from './pages/NoticePrefsPage';
import { PassbookPage } from './pages/PassbookPage';
import { PatronLoginPage } from './pages/PatronLoginPage';
import { PinPage } from './pages/PinPage';
import { PrizesPage } from './pages/PrizesPage';
import { RedemptionCodePage } from './pages/RedemptionCodePage';
import { RedemptionsPage } from './pages/RedemptionsPage';
import { ReportPage } from './pages/ReportPage';
import { SearchPage } from './pages/SearchPage';
import { StudyPage } from './pages/StudyPage';
import { TransparencyPage } from './pages/TransparencyPage';
import { useRoute } from './router';
import { StaffConsole } from './staff/Console';

/** Path → page. Trailing slashes are ignored ("/staff/" is "/staff"). */
function pageFor(path: string) {
  const code = /^\/passbook\/redemptions\/(\d+)$/.exec(path);
  if (code) return <RedemptionCodePage key={code[1]} id={Number(code[1])} />;
  const record = /^\/search\/(\d+)$/.exec(path);
  if (record) return <BibPage key={record[1]} id={Number(record[1])} />;
  if (path === '/staff' || path.startsWith('/staff/')) return <StaffConsole path={path} />;
  switch (path) {
    case '/':
      return <HomePage />;
    case '/login':
      return <PatronLoginPage />;
    case '/card':
      return <CardPage />;
    case '/study':
      return <StudyPage />;
    case '/search':
      return <SearchPage />;
    case '/checkout':
      return <CheckoutPage />;
    case '/passbook':
      return <PassbookPage />;
    case '/passbook/prizes':
      return <PrizesPage />;
    case '/passbook/redemptions':
      return <RedemptionsPage />;
    case '/passbook/claim':
      return <ClaimPage />;
    case '/events':
      return <EventsPage />;
    case '/account':
      return <AccountPage />;
    case '/account/history':
      return <HistoryPage />;
    case '/account/pin':
      return <PinPage />;
    case '/account/notices':
      return <NoticePrefsPage />;
    case '/inbox':
      return <InboxPage />;
    case '/report':
      return <ReportPage />;
    case '/transparency':
      return <TransparencyPage />;
    default:
      return <NotFoundPage />;
  }
}

export function App() {
  const raw = useRoute();
  const path = raw.replace(/(.)\/+$/, '$1');
  // A language change re-renders the whole tree (no page is memoized), so every t() reads the
  // new table while form fields keep what was typed.
  const [, setLangState] = useState(getLang());
  useEffect(() => onLangChange(setLangState), []);
  return <Layout path={path}>{pageFor(path)}</Layout>;
}
