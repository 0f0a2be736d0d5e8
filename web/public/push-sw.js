// Web Push in the app's service worker (loaded by the generated worker through importScripts, see
// vite.config.ts): shows each push as a notification and opens its page when tapped.
// The payload is the server's {title, body, url, notice_id, tag} (src/notify/push_dispatcher.hpp).

self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { body: event.data ? event.data.text() : '' };
  }
  const title = data.title || '書印 Bookstamp';
  const url = new URL(data.url || '/', self.location.origin);
  // Only pages of this app are opened from a notice.
  const target = url.origin === self.location.origin ? url.href : self.location.origin + '/';
  event.waitUntil(
    self.registration.showNotification(title, {
      body: data.body || '',
      tag: data.tag || (data.notice_id ? `notice-${data.notice_id}` : undefined),
      icon: '/icons/icon-192.png',
      badge: '/icons/icon-192.png',
      lang: 'zh-TW',
      data: { url: target, notice_id: data.notice_id ?? null },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = (event.notification.data && event.notification.data.url) || self.location.origin + '/';
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      // Reuse an open window of the app: bring it forward on the notice's page.
      for (const client of windows) {
        if (new URL(client.url).origin !== self.location.origin) continue;
        await client.focus();
        if ('navigate' in client) await client.navigate(url).catch(() => {});
        return;
      }
      await self.clients.openWindow(url);
    })(),
  );
});
