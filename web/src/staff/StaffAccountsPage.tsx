// A8 Staff accounts (館員帳號): the list, a new account, role and branch changes, disabling and
// password resets (each signs the account out on the server). Sysadmins only; nobody can disable
// or demote themselves.
import { useState } from 'preact/hooks';
import { branches, type Staff, type StaffRole } from '../api';
import { Alert, LoadError, Loading } from '../components/Alert';
import { Field } from '../components/Field';
import { PageTitle } from '../components/PageTitle';
import { useAsync } from '../hooks';
import { formatDateTime, label } from '../i18n';
import { createStaffAccount, staffAccounts, updateStaffAccount, type StaffAccount } from '../staffApi';
import { Done, FormActions, refusalText, SelectField, useSubmit } from './common';
import { sm } from './messages';
import './admin.css';

const ROLES: StaffRole[] = ['counter', 'branch_admin', 'sysadmin', 'auditor'];

function RoleBranch({ role, branch, onRole, onBranch }: { role: StaffRole; branch: string; onRole: (r: StaffRole) => void; onBranch: (b: string) => void }) {
  const [all] = useAsync((signal) => branches(signal), []);
  const list = all.status === 'ok' ? all.value : [];
  return (
    <>
      <SelectField label={sm('accounts.fRole')} value={role} onValue={(v) => onRole(v as StaffRole)}>
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {label('role', r)}
          </option>
        ))}
      </SelectField>
      <SelectField label={sm('accounts.fBranch')} value={branch} onValue={onBranch} aria-describedby={(role === 'counter' || role === 'branch_admin') && !branch ? 'branch-note' : undefined}>
        <option value="">{sm('common.allBranches')}</option>
        {list.map((b) => (
          <option key={b.code} value={b.code}>
            {b.code}・{b.name}
          </option>
        ))}
      </SelectField>
      {(role === 'counter' || role === 'branch_admin') && !branch && (
        <p id="branch-note" class="field__hint">
          {sm('accounts.branchNeeded')}
        </p>
      )}
    </>
  );
}

function NewAccount({ onSaved, onCancel }: { onSaved: (a: StaffAccount) => void; onCancel: () => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<StaffRole>('counter');
  const [branch, setBranch] = useState('');
  const { busy, error, submit } = useSubmit(
    async () => onSaved(await createStaffAccount({ username: username.trim(), password, role, branch: branch || null })),
    () => (!username.trim() || password.length < 8 ? sm('accounts.required') : null),
  );
  return (
    <form class="form panel" onSubmit={submit} noValidate aria-labelledby="new-staff-h">
      <h2 id="new-staff-h">{sm('accounts.new')}</h2>
      {error && <Alert>{error}</Alert>}
      <div class="form-grid">
        <Field label={sm('accounts.fUsername')} name="username" value={username} onValue={setUsername} maxLength={64} autoComplete="off" />
        <Field label={sm('accounts.fPassword')} hint={sm('accounts.fPasswordHint')} type="password" name="new-password" value={password} onValue={setPassword} autoComplete="new-password" />
        <RoleBranch role={role} branch={branch} onRole={setRole} onBranch={setBranch} />
      </div>
      <FormActions submit={sm('accounts.new')} busy={busy} onCancel={onCancel} />
    </form>
  );
}

function EditAccount({ account, onSaved, onCancel }: { account: StaffAccount; onSaved: (text: string) => void; onCancel: () => void }) {
  const [role, setRole] = useState<StaffRole>(account.role);
  const [branch, setBranch] = useState(account.branch ?? '');
  const { busy, error, submit } = useSubmit(async () => {
    await updateStaffAccount(account.username, { role, branch: branch || null });
    onSaved(sm('accounts.saved', { username: account.username }));
  });
  return (
    <form class="form panel" onSubmit={submit} noValidate aria-labelledby="edit-staff-h">
      <h2 id="edit-staff-h">{sm('accounts.editTitle', { username: account.username })}</h2>
      {error && <Alert>{error}</Alert>}
      <div class="form-grid">
        <RoleBranch role={role} branch={branch} onRole={setRole} onBranch={setBranch} />
      </div>
      <FormActions submit={sm('common.save')} busy={busy} onCancel={onCancel} />
    </form>
  );
}

function ResetPassword({ account, onSaved, onCancel }: { account: StaffAccount; onSaved: (text: string) => void; onCancel: () => void }) {
  const [password, setPassword] = useState('');
  const { busy, error, submit } = useSubmit(
    async () => {
      await updateStaffAccount(account.username, { password });
      onSaved(sm('accounts.resetDone', { username: account.username }));
    },
    () => (password.length < 8 ? sm('accounts.passwordShort') : null),
  );
  return (
    <form class="form panel" onSubmit={submit} noValidate aria-labelledby="reset-h">
      <h2 id="reset-h">{sm('accounts.resetFor', { username: account.username })}</h2>
      {error && <Alert>{error}</Alert>}
      <div class="form-grid">
        <Field label={sm('accounts.newPassword')} hint={sm('accounts.fPasswordHint')} type="password" name="reset-password" value={password} onValue={setPassword} autoComplete="new-password" />
      </div>
      <FormActions submit={sm('accounts.resetButton')} busy={busy} onCancel={onCancel} />
    </form>
  );
}

export function StaffAccountsPage({ staff }: { staff: Staff }) {
  const [state, reload] = useAsync((signal) => staffAccounts(signal), []);
  const [mode, setMode] = useState<{ kind: 'none' } | { kind: 'new' } | { kind: 'edit' | 'reset'; account: StaffAccount }>({ kind: 'none' });
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const finished = (text: string) => {
    setDone(text);
    setMode({ kind: 'none' });
    reload();
  };
  const setActive = async (a: StaffAccount, active: boolean) => {
    setError(null);
    try {
      await updateStaffAccount(a.username, { active });
      // No form belongs to this button: one opened meanwhile stays open.
      setDone(sm(active ? 'accounts.enabledDone' : 'accounts.disabledDone', { username: a.username }));
      reload();
    } catch (err) {
      setError(refusalText(err));
    }
  };
  return (
    <div class="page">
      <div class="console-head">
        <PageTitle>{sm('accounts.title')}</PageTitle>
        {mode.kind === 'none' && (
          <button type="button" class="button button--primary" onClick={() => setMode({ kind: 'new' })}>
            {sm('accounts.new')}
          </button>
        )}
      </div>
      <p class="muted">{sm('accounts.intro')}</p>
      {done && <Done>{done}</Done>}
      {error && <Alert>{error}</Alert>}
      {mode.kind === 'new' && <NewAccount onCancel={() => setMode({ kind: 'none' })} onSaved={(a) => finished(sm('accounts.created', { username: a.username }))} />}
      {mode.kind === 'edit' && <EditAccount key={mode.account.username} account={mode.account} onCancel={() => setMode({ kind: 'none' })} onSaved={finished} />}
      {mode.kind === 'reset' && <ResetPassword key={mode.account.username} account={mode.account} onCancel={() => setMode({ kind: 'none' })} onSaved={finished} />}
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <LoadError text={refusalText(state.error)} onRetry={reload} />}
      {state.status === 'ok' && (
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{sm('accounts.colUsername')}</th>
              <th scope="col">{sm('accounts.colRole')}</th>
              <th scope="col">{sm('accounts.colBranch')}</th>
              <th scope="col">{sm('accounts.colStatus')}</th>
              <th scope="col">
                <span class="visually-hidden">{sm('common.edit')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {state.value.map((a) => {
              const self = a.username === staff.username;
              return (
                <tr key={a.username}>
                  <td>
                    {a.username}
                    {self && sm('accounts.you')}
                    <span class="small muted"> {formatDateTime(a.created_at)}</span>
                  </td>
                  <td>{label('role', a.role)}</td>
                  <td>{a.branch ?? sm('common.allBranches')}</td>
                  <td>
                    <span class={a.active ? 'badge badge--ok' : 'badge badge--danger'}>{sm(a.active ? 'accounts.active' : 'accounts.disabled')}</span>
                  </td>
                  <td class="table__actions">
                    {!self && (
                      <button type="button" class="button button--small button--quiet" aria-label={sm('accounts.editFor', { username: a.username })} onClick={() => setMode({ kind: 'edit', account: a })}>
                        {sm('accounts.change')}
                      </button>
                    )}
                    <button type="button" class="button button--small button--quiet" aria-label={sm('accounts.resetFor', { username: a.username })} onClick={() => setMode({ kind: 'reset', account: a })}>
                      {sm('accounts.resetButton')}
                    </button>
                    {!self &&
                      (a.active ? (
                        <button type="button" class="button button--small button--danger" aria-label={sm('accounts.disable', { username: a.username })} onClick={() => void setActive(a, false)}>
                          {sm('accounts.disableButton')}
                        </button>
                      ) : (
                        <button type="button" class="button button--small" aria-label={sm('accounts.enable', { username: a.username })} onClick={() => void setActive(a, true)}>
                          {sm('accounts.enableButton')}
                        </button>
                      ))}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
