// The home screen's announcement carousel (公告輪播): swipe, previous / next buttons, dots, and an
// autoplay that stops while the pointer or focus is inside, when paused, or when the system asks
// for reduced motion (WAI-ARIA carousel pattern).
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Announcement } from '../api';
import { t } from '../i18n';
import { navigate } from '../router';

const INTERVAL_MS = 6000;

function reducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}

function isInternal(href: string): boolean {
  return href.startsWith('/') && !href.startsWith('//');
}

function Slide({ a, current }: { a: Announcement; current: boolean }) {
  const hidden = !current;
  return (
    <div class="slide" aria-hidden={hidden ? 'true' : undefined}>
      {a.image_url && <img class="slide__img" src={a.image_url} alt="" loading="lazy" />}
      <div class="slide__text">
        <h3 class="slide__title">{a.title}</h3>
        {a.body && <p class="slide__body">{a.body}</p>}
        {a.link && (
          <a
            class="slide__link"
            href={a.link}
            tabIndex={hidden ? -1 : undefined}
            target={isInternal(a.link) ? undefined : '_blank'}
            rel={isInternal(a.link) ? undefined : 'noopener'}
            onClick={(e) => {
              if (a.link && isInternal(a.link)) {
                e.preventDefault();
                navigate(a.link);
              }
            }}
          >
            {t('home.readMore')}
            {!isInternal(a.link) && <span class="visually-hidden">{t('common.opensNew')}</span>}
          </a>
        )}
      </div>
    </div>
  );
}

export function Carousel({ items }: { items: Announcement[] }) {
  const [index, setIndex] = useState(0);
  const [playing, setPlaying] = useState(() => !reducedMotion());
  const [hover, setHover] = useState(false);
  const [focusIn, setFocusIn] = useState(false);
  const start = useRef<{ x: number; y: number } | null>(null);
  const n = items.length;
  const go = (i: number) => setIndex(((i % n) + n) % n);

  useEffect(() => {
    if (!playing || hover || focusIn || n < 2) return;
    const timer = setInterval(() => setIndex((i) => (i + 1) % n), INTERVAL_MS);
    return () => clearInterval(timer);
  }, [playing, hover, focusIn, n]);

  if (n === 0) return null;
  const cur = Math.min(index, n - 1);
  return (
    <section
      class="carousel"
      aria-labelledby="carousel-heading"
      onPointerEnter={() => setHover(true)}
      onPointerLeave={() => setHover(false)}
      onFocusIn={() => setFocusIn(true)}
      onFocusOut={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setFocusIn(false);
      }}
    >
      <h2 id="carousel-heading" class="visually-hidden">
        {t('home.announcements')}
      </h2>
      <div
        class="carousel__viewport"
        onPointerDown={(e) => {
          start.current = { x: e.clientX, y: e.clientY };
        }}
        onPointerUp={(e) => {
          const s = start.current;
          start.current = null;
          if (!s) return;
          const dx = e.clientX - s.x;
          if (Math.abs(dx) > 40 && Math.abs(dx) > Math.abs(e.clientY - s.y)) go(cur + (dx < 0 ? 1 : -1));
        }}
        onPointerCancel={() => {
          start.current = null;
        }}
      >
        <div
          class="carousel__track"
          aria-live={playing && !focusIn ? 'off' : 'polite'}
          style={{ transform: `translateX(-${cur * 100}%)` }}
        >
          {items.map((a, i) => (
            <div
              key={a.id}
              class="carousel__item"
              role="group"
              aria-roledescription={t('home.slideRole')}
              aria-label={t('home.slide', { n: i + 1, total: n })}
            >
              <Slide a={a} current={i === cur} />
            </div>
          ))}
        </div>
      </div>
      {n > 1 && (
        <div class="carousel__controls">
          <button
            type="button"
            class="carousel__btn"
            aria-label={playing ? t('home.pause') : t('home.play')}
            onClick={() => setPlaying((p) => !p)}
          >
            <span aria-hidden="true">{playing ? '❚❚' : '▶'}</span>
          </button>
          <button type="button" class="carousel__btn" aria-label={t('home.prev')} onClick={() => go(cur - 1)}>
            <span aria-hidden="true">‹</span>
          </button>
          <div class="carousel__dots">
            {items.map((a, i) => (
              <button
                key={a.id}
                type="button"
                class="carousel__dot"
                aria-label={t('home.goSlide', { n: i + 1 })}
                aria-current={i === cur ? 'true' : undefined}
                onClick={() => go(i)}
              />
            ))}
          </div>
          <button type="button" class="carousel__btn" aria-label={t('home.next')} onClick={() => go(cur + 1)}>
            <span aria-hidden="true">›</span>
          </button>
        </div>
      )}
    </section>
  );
}
