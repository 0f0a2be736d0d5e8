// The staff console (/staff/…): a side menu scoped to the signed-in staff member's role and
// branch, and the desk or admin screen for the path. Not signed in: the sign-in form.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { logout, onUnauthenticated, type Staff } from '../api';
import { Link } from '../components/Link';
import { hasMessage, t } from '../i18n';
import { navigate } from '../router';
import { isSignedIn, savedStaff, saveStaff } from '../session';
import { StaffLoginPage } from '../pages/StaffLoginPage';
import { AREAS, homeFor, mayOpen, type ConsoleArea } from './common';
import { AuditPage } from './AuditPage';
import { BackfillsPage } from './BackfillsPage';
import { CirculationDeskPage } from './CirculationDeskPage';
import { EventQrPage } from './EventQrPage';
import { EventsAdminPage } from './EventsAdminPage';
import { LotteryAdminPage } from './LotteryAdminPage';
import { PrizesAdminPage } from './PrizesAdminPage';
import { ReportsPage } from './ReportsPage';
import { ContentPage } from './ContentPage';
import { BranchesPage } from './BranchesPage';
import { PolicyPage } from './PolicyPage';
import { StaffAccountsPage } from './StaffAccountsPage';
import { RedemptionDeskPage } from './RedemptionDeskPage';

function useStaff(): [Staff | null, () => void, (s: Staff) => void] {
  const [staff, setStaff] = useState<Staff | null>(() => (isSignedIn('staff') ? savedStaff() : null));
  useEffect(
    () =>
      onUnauthenticated((who) => {
        if (who === 'staff') {
          saveStaff(null);
          setStaff(null);
        }
      }),
    [],
  );
  const signOut = () => {
    void logout('staff').catch(() => undefined);
    saveStaff(null);
    setStaff(null);
    navigate('/staff');
  };
  return [staff, signOut, setStaff];
}

function areaOf(path: string): ConsoleArea | null {
  const m = /^\/staff\/([a-z]+)/.exec(path);
  const a = m ? (m[1] as ConsoleArea) : null;
  return a && AREAS.some((x) => x.area === a) ? a : null;
}

function Menu({ staff, path, onLogout }: { staff: Staff; path: string; onLogout: () => void }) {
  const roleKey = `role.${staff.role}`;
  return (
    <aside class="console__side">
      <div class="console__who">
        <p class="console__user">{staff.username}</p>
        <p class="console__role">
          {hasMessage(roleKey) ? t(roleKey) : staff.role}・{staff.branch ?? t('staff.allBranches')}
        </p>
      </div>
      <nav aria-label={t('console.nav.label')}>
        <ul class="console__menu" role="list">
          {AREAS.filter((a) => mayOpen(staff, a.area)).map((a) => (
            <li key={a.area}>
              <Link href={a.href} aria-current={path.startsWith(a.href) ? 'page' : undefined}>
                {a.text()}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <button type="button" class="button button--quiet button--small" onClick={onLogout}>
        {t('common.logout')}
      </button>
    </aside>
  );
}

function Forbidden() {
  return (
    <div role="alert" class="alert alert--error">
      {t('console.forbidden')}
    </div>
  );
}

function screenFor(path: string, staff: Staff): ComponentChildren {
  const qr = /^\/staff\/events\/(\d+)\/qr$/.exec(path);
  if (qr) return <EventQrPage key={qr[1]} eventId={Number(qr[1])} />;
  switch (areaOf(path)) {
    case 'redemptions':
      return <RedemptionDeskPage staff={staff} />;
    case 'circulation':
      return <CirculationDeskPage staff={staff} />;
    case 'events':
      return <EventsAdminPage staff={staff} />;
    case 'backfills':
      return <BackfillsPage staff={staff} />;
    case 'prizes':
      return <PrizesAdminPage staff={staff} />;
    case 'lotteries':
      return <LotteryAdminPage />;
    case 'reports':
      return <ReportsPage staff={staff} />;
    case 'content':
      return <ContentPage />;
    case 'branches':
      return <BranchesPage />;
    case 'policy':
      return <PolicyPage />;
    case 'accounts':
      return <StaffAccountsPage staff={staff} />;
    case 'audit':
      return <AuditPage />;
    default:
      return null;
  }
}

export function StaffConsole({ path }: { path: string }) {
  const [staff, signOut, signedIn] = useStaff();
  const area = areaOf(path);
  useEffect(() => {
    // /staff itself (or an unknown /staff/… path) lands on the first screen the role may open.
    if (staff && (path === '/staff' || area === null) && !/^\/staff\/events\/\d+\/qr$/.test(path)) {
      navigate(homeFor(staff), { replace: true });
    }
  }, [staff, path, area]);
  if (!staff) return <StaffLoginPage onSignedIn={signedIn} />;
  const qr = /^\/staff\/events\/\d+\/qr$/.test(path);
  if (qr) return <>{mayOpen(staff, 'events') ? screenFor(path, staff) : <Forbidden />}</>;
  return (
    <div class="console">
      <Menu staff={staff} path={path} onLogout={signOut} />
      <div class="console__main">{area && (mayOpen(staff, area) ? screenFor(path, staff) : <Forbidden />)}</div>
    </div>
  );
}
