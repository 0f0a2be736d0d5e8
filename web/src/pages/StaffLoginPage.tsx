// /staff: the staff console's sign-in; once signed in, who and where (the console grows here).
import { useState } from 'preact/hooks';
import { logout, staffLogin, type Staff } from '../api';
import { Alert } from '../components/Alert';
import { Field } from '../components/Field';
import { PageTitle } from '../components/PageTitle';
import { errorText } from '../errors';
import { hasMessage, t } from '../i18n';
import { isSignedIn, savedStaff, saveStaff } from '../session';

function StaffSignedIn({ staff, onLogout }: { staff: Staff; onLogout: () => void }) {
  const roleKey = `role.${staff.role}`;
  return (
    <section class="panel panel--narrow">
      <PageTitle>{t('staff.signedIn', { username: staff.username })}</PageTitle>
      <dl class="facts">
        <dt>{t('staff.role')}</dt>
        <dd>{hasMessage(roleKey) ? t(roleKey) : staff.role}</dd>
        <dt>{t('staff.branch')}</dt>
        <dd>{staff.branch ?? t('staff.allBranches')}</dd>
      </dl>
      <p class="muted">{t('staff.consoleSoon')}</p>
      <button type="button" class="button button--quiet button--start" onClick={onLogout}>
        {t('common.logout')}
      </button>
    </section>
  );
}

export function StaffLoginPage({ onSignedIn }: { onSignedIn?: (s: Staff) => void } = {}) {
  const [staff, setStaff] = useState<Staff | null>(() => (isSignedIn('staff') ? savedStaff() : null));
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [field, setField] = useState<string | null>(null);

  if (staff) {
    const onLogout = () => {
      void logout('staff').catch(() => undefined);
      saveStaff(null);
      setStaff(null);
    };
    return <StaffSignedIn staff={staff} onLogout={onLogout} />;
  }

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    if (!username.trim() || !password) {
      setField(!username.trim() ? 'username' : 'password');
      setError(t('staff.required'));
      return;
    }
    setBusy(true);
    setError(null);
    setField(null);
    try {
      const s = await staffLogin(username.trim(), password);
      saveStaff(s.staff);
      setPassword('');
      setStaff(s.staff);
      onSignedIn?.(s.staff);
    } catch (err) {
      setPassword('');
      setError(errorText(err, { UNAUTHENTICATED: 'staff.wrong' }));
      setField((err as { field?: string }).field ?? null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="panel panel--narrow">
      <PageTitle>{t('staff.title')}</PageTitle>
      <p class="lead">{t('staff.intro')}</p>
      <form class="form" onSubmit={submit} noValidate>
        {error && <Alert>{error}</Alert>}
        <Field
          label={t('staff.username')}
          name="username"
          value={username}
          onValue={setUsername}
          invalid={field === 'username'}
          autocomplete="username"
          autocapitalize="none"
          spellcheck={false}
          required
        />
        <Field
          label={t('staff.password')}
          type="password"
          name="password"
          value={password}
          onValue={setPassword}
          invalid={field === 'password'}
          autocomplete="current-password"
          required
        />
        <button type="submit" class="button button--primary button--block" disabled={busy} aria-busy={busy}>
          {busy ? t('login.submitting') : t('staff.submit')}
        </button>
      </form>
    </section>
  );
}
