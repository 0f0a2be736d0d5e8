// Entry point: mount the app and register the service worker (production builds only).
import { render } from 'preact';
import { registerSW } from 'virtual:pwa-register';
import { App } from './app';
import './styles.css';
import './patron.css';

render(<App />, document.getElementById('app')!);

if (import.meta.env.PROD) registerSW({ immediate: true });
