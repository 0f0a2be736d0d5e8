// Entry point: mount the app and register the service worker (production builds only).
import { render } from 'preact';
import { registerSW } from 'virtual:pwa-register';
import { App } from './app';
import { hasSession, setNoticeLanguage } from './api';
import { onLangChange } from './i18n';
import './styles.css';
import './patron.css';

render(<App />, document.getElementById('app')!);

// Notices follow the language the patron picks in the app; a failure only leaves the old one.
onLangChange((lang) => {
  if (hasSession('patron')) setNoticeLanguage(lang).catch(() => {});
});

if (import.meta.env.PROD) registerSW({ immediate: true });
