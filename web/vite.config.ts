// Vite build of the Bookstamp PWA: Preact, and a service worker + manifest from vite-plugin-pwa.
// `npm run dev` proxies /api to a local `bookstamp serve` (BOOKSTAMP_API, default 127.0.0.1:8080).
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';
import { VitePWA } from 'vite-plugin-pwa';

const apiTarget = process.env.BOOKSTAMP_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [
    preact(),
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: false, // main.tsx registers it through virtual:pwa-register
      includeAssets: ['icons/icon.svg', 'icons/apple-touch-icon.png'],
      manifest: {
        name: '書印 Bookstamp',
        short_name: '書印',
        description: '圖書館行動借閱證與數位閱讀存摺',
        lang: 'zh-TW',
        dir: 'ltr',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'portrait',
        theme_color: '#0f6e66',
        background_color: '#f3f7f5',
        categories: ['books', 'education'],
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
        navigateFallback: '/index.html',
        // The server answers these itself; the app shell must never shadow them.
        navigateFallbackDenylist: [/^\/api\//, /^\/metrics/, /^\/health/],
        cleanupOutdatedCaches: true,
        // Web Push: show pushes and open their page (public/push-sw.js).
        importScripts: ['/push-sw.js'],
        // Take over the page that installed the worker at once: the mobile library card must work
        // offline after the very first visit, not the second.
        clientsClaim: true,
        skipWaiting: true,
      },
    }),
  ],
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    target: 'es2022',
  },
  server: {
    proxy: { '/api': apiTarget },
  },
  preview: {
    proxy: { '/api': apiTarget },
  },
});
