// Every string the app shows, in zh-TW (first) and English, and t() to read them.
// Add a key to `zhTW` first: the type makes `en` fail to compile until it has it too.

export type Lang = 'zh-TW' | 'en';
export const LANGS: readonly Lang[] = ['zh-TW', 'en'];

const zhTW = {
  'app.name': '書印',
  'app.fullName': '書印 Bookstamp',
  'app.tagline': '行動借閱證・我的書房・閱讀存摺',
  'nav.main': '主要導覽',
  'nav.home': '我的書房',
  'nav.transparency': '公開資訊',
  'nav.staff': '館員',
  'nav.skip': '跳到主要內容',
  'lang.switch': 'English',
  'lang.switchLabel': 'Switch to English',

  'common.loading': '載入中…',
  'common.retry': '重試',
  'common.logout': '登出',
  'common.none': '無',

  'login.title': '讀者登入',
  'login.intro': '請輸入借閱證號與密碼。',
  'login.card': '借閱證號',
  'login.cardHint': '借閱證背面的條碼號碼',
  'login.pin': '密碼',
  'login.submit': '登入',
  'login.submitting': '登入中…',
  'login.staffLink': '館員請由此登入',
  'login.required': '請填寫借閱證號與密碼。',
  'login.wrong': '借閱證號或密碼不正確。',

  'staff.title': '館員工作台登入',
  'staff.intro': '僅供本館館員使用，所有操作都會留下紀錄。',
  'staff.username': '帳號',
  'staff.password': '密碼',
  'staff.submit': '登入',
  'staff.required': '請填寫帳號與密碼。',
  'staff.wrong': '帳號或密碼不正確。',
  'staff.signedIn': '已登入：{username}',
  'staff.role': '角色',
  'staff.branch': '服務館別',
  'staff.allBranches': '全部館別',
  'staff.consoleSoon': '流通、兌換與管理功能將陸續開放。',
  'role.counter': '櫃台館員',
  'role.branch_admin': '分館管理者',
  'role.sysadmin': '系統管理者',
  'role.auditor': '稽核人員',

  'home.title': '我的書房',
  'home.cards': '我的借閱證',
  'home.cardNumber': '證號 {card}',
  'home.status': '借閱狀態',
  'home.statusIs': '借閱狀態：{state}',
  'home.statusOk': '正常，可借閱與預約。',
  'home.suspended': '停權中',
  'home.suspensionDays': '停權剩餘 {days} 天',
  'home.borrowResumes': '{date} 起可借閱',
  'home.reserveResumes': '{date} 起可預約',
  'home.loans': '借閱中',
  'home.loansCount': '借閱中（{count}）',
  'home.noLoans': '目前沒有借閱中的資料。',
  'home.dueOn': '到期日 {date}',
  'home.overdue': '逾期 {days} 天',
  'home.renewals': '已續借 {count} 次',
  'home.holds': '預約',
  'home.holdsCount': '預約（{count}）',
  'home.noHolds': '目前沒有預約。',
  'home.queue': '順位 {position}',
  'home.readyAt': '請至{branch}取書，保留至 {date}',
  'home.pickupAt': '取書館：{branch}',
  'home.noCards': '此帳號尚未連結借閱證。',

  'cardType.personal': '個人卡',
  'cardType.family': '家庭卡',
  'cardType.group': '團體卡',
  'cardStatus.active': '有效',
  'cardStatus.lost': '已掛失',
  'cardStatus.expired': '已過期',
  'cardStatus.blocked': '已停用',
  'holdStatus.waiting': '等待中',
  'holdStatus.in_transit': '調撥中',
  'holdStatus.ready': '可取書',
  'holdStatus.fulfilled': '已借出',
  'holdStatus.cancelled': '已取消',
  'holdStatus.expired': '逾期未取',

  'transparency.title': '公開資訊',
  'transparency.intro': '點數發放與兌換、各館獎品庫存與稽核紀錄，任何人都能查核。',
  'transparency.branches': '服務館別（{count}）',
  'transparency.mobileCheckout': '可手機借書',
  'transparency.more': '點數統計、獎品庫存與稽核雜湊值即將公開於此。',

  'notFound.title': '找不到這個頁面',
  'notFound.back': '回到首頁',

  'error.network': '無法連線到伺服器，請檢查網路後再試。',
  'error.unauthenticated': '登入資訊不正確，或登入已逾時。',
  'error.rateLimited': '嘗試次數過多，請稍後再試。',
  'error.unavailable': '服務暫時無法使用，請稍後再試。',
  'error.generic': '發生錯誤（{code}）。',
} as const;

export type MessageKey = keyof typeof zhTW;

const en: Record<MessageKey, string> = {
  'app.name': 'Bookstamp',
  'app.fullName': '書印 Bookstamp',
  'app.tagline': 'Library card · My study · Reading passbook',
  'nav.main': 'Main navigation',
  'nav.home': 'My study',
  'nav.transparency': 'Transparency',
  'nav.staff': 'Staff',
  'nav.skip': 'Skip to main content',
  'lang.switch': '中文',
  'lang.switchLabel': '切換為中文',

  'common.loading': 'Loading…',
  'common.retry': 'Try again',
  'common.logout': 'Sign out',
  'common.none': 'None',

  'login.title': 'Patron sign-in',
  'login.intro': 'Enter your library card number and PIN.',
  'login.card': 'Card number',
  'login.cardHint': 'The barcode number on the back of your card',
  'login.pin': 'PIN',
  'login.submit': 'Sign in',
  'login.submitting': 'Signing in…',
  'login.staffLink': 'Library staff sign in here',
  'login.required': 'Enter your card number and PIN.',
  'login.wrong': 'That card number or PIN is not right.',

  'staff.title': 'Staff console sign-in',
  'staff.intro': 'For library staff only. Every action is recorded.',
  'staff.username': 'Username',
  'staff.password': 'Password',
  'staff.submit': 'Sign in',
  'staff.required': 'Enter your username and password.',
  'staff.wrong': 'That username or password is not right.',
  'staff.signedIn': 'Signed in as {username}',
  'staff.role': 'Role',
  'staff.branch': 'Branch',
  'staff.allBranches': 'All branches',
  'staff.consoleSoon': 'Circulation, redemption and admin tools are on their way.',
  'role.counter': 'Counter staff',
  'role.branch_admin': 'Branch admin',
  'role.sysadmin': 'System admin',
  'role.auditor': 'Auditor',

  'home.title': 'My study',
  'home.cards': 'My cards',
  'home.cardNumber': 'Card {card}',
  'home.status': 'Borrowing status',
  'home.statusIs': 'Borrowing status: {state}',
  'home.statusOk': 'In good standing: you can borrow and reserve.',
  'home.suspended': 'Suspended',
  'home.suspensionDays': '{days} days of suspension left',
  'home.borrowResumes': 'Borrowing resumes on {date}',
  'home.reserveResumes': 'Reserving resumes on {date}',
  'home.loans': 'On loan',
  'home.loansCount': 'On loan ({count})',
  'home.noLoans': 'Nothing on loan right now.',
  'home.dueOn': 'Due {date}',
  'home.overdue': '{days} days overdue',
  'home.renewals': 'Renewed {count}×',
  'home.holds': 'Holds',
  'home.holdsCount': 'Holds ({count})',
  'home.noHolds': 'No holds right now.',
  'home.queue': 'Queue position {position}',
  'home.readyAt': 'Ready at {branch}, pick up by {date}',
  'home.pickupAt': 'Pickup at {branch}',
  'home.noCards': 'No cards are linked to this account yet.',

  'cardType.personal': 'Personal card',
  'cardType.family': 'Family card',
  'cardType.group': 'Group card',
  'cardStatus.active': 'Active',
  'cardStatus.lost': 'Reported lost',
  'cardStatus.expired': 'Expired',
  'cardStatus.blocked': 'Blocked',
  'holdStatus.waiting': 'Waiting',
  'holdStatus.in_transit': 'In transit',
  'holdStatus.ready': 'Ready',
  'holdStatus.fulfilled': 'Checked out',
  'holdStatus.cancelled': 'Cancelled',
  'holdStatus.expired': 'Not picked up',

  'transparency.title': 'Transparency',
  'transparency.intro': 'Points issued and redeemed, prize stock per branch and the audit log: open for anyone to check.',
  'transparency.branches': 'Branches ({count})',
  'transparency.mobileCheckout': 'Phone checkout',
  'transparency.more': 'Point totals, prize stock and the audit head hash will be published here.',

  'notFound.title': 'Page not found',
  'notFound.back': 'Back to the home page',

  'error.network': 'Cannot reach the server. Check your connection and try again.',
  'error.unauthenticated': 'Those sign-in details are wrong, or your session has ended.',
  'error.rateLimited': 'Too many attempts. Please wait a while and try again.',
  'error.unavailable': 'The service is briefly unavailable. Please try again soon.',
  'error.generic': 'Something went wrong ({code}).',
};

const tables: Record<Lang, Record<MessageKey, string>> = { 'zh-TW': zhTW, en };

const STORAGE_KEY = 'bookstamp.lang';

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'zh-TW' || saved === 'en') return saved;
  } catch {
    // Storage can be blocked (private mode); fall through to the default.
  }
  return 'zh-TW';
}

let current: Lang = initialLang();
const listeners = new Set<(lang: Lang) => void>();

export function getLang(): Lang {
  return current;
}

/** Switches the language, remembers it in localStorage and tells subscribers. */
export function setLang(lang: Lang): void {
  if (lang === current) return;
  current = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Not remembered; the switch still applies to this visit.
  }
  document.documentElement.lang = lang;
  listeners.forEach((fn) => fn(lang));
}

/** Calls fn on every language change; returns the unsubscribe function. */
export function onLangChange(fn: (lang: Lang) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export type MessageVars = Record<string, string | number>;

/** The string for key in the current language, with {name} placeholders filled from vars. */
export function t(key: MessageKey, vars?: MessageVars): string {
  const text = tables[current][key];
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in vars ? String(vars[name]) : whole,
  );
}

/** Whether key names a string (for keys built from server values, e.g. `cardType.${type}`). */
export function hasMessage(key: string): key is MessageKey {
  return key in zhTW;
}

/** A YYYY-MM-DD date from the API, written the way the current language writes dates. */
export function formatDate(isoDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m) return isoDate;
  const utc = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return new Intl.DateTimeFormat(current, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    weekday: 'short',
    timeZone: 'UTC',
  }).format(utc);
}

document.documentElement.lang = current;
