// Camera scanning with zxing-wasm (its reader only; the .wasm is served by this app, never a CDN).
// A button opens the rear camera; frames are read a few times a second until a code is found.
import { useEffect, useRef, useState } from 'preact/hooks';
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';
import { t } from '../i18n';
import { Icon } from './Icon';

export type ScanFormat = 'QRCode' | 'Code128' | 'Code39' | 'EAN13' | 'Codabar' | 'ITF';

type Reader = typeof import('zxing-wasm/reader');
let reader: Promise<Reader> | null = null;

function loadReader(): Promise<Reader> {
  reader ??= import('zxing-wasm/reader').then(async (m) => {
    await m.prepareZXingModule({
      overrides: {
        locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? wasmUrl : prefix + path),
      },
      fireImmediately: true,
    });
    return m;
  });
  // A failed load (offline on first use) may be tried again later.
  reader.catch(() => {
    reader = null;
  });
  return reader;
}

export function cameraAvailable(): boolean {
  return typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getUserMedia;
}

/**
 * "Scan with the camera" and, while open, the live view. onCode gets the first value read.
 * label: what is being scanned (for the button and the video's name).
 */
export function Scanner({ formats, label, onCode }: { formats: ScanFormat[]; label: string; onCode: (text: string) => void }) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const video = useRef<HTMLVideoElement>(null);

  useEffect(() => {
    if (!open) return;
    let stream: MediaStream | null = null;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const canvas = document.createElement('canvas');
    const ctx = canvas.getContext('2d', { willReadFrequently: true });

    const tick = async (m: Reader) => {
      if (stopped) return;
      const v = video.current;
      if (v && ctx && v.readyState >= 2 && v.videoWidth > 0) {
        canvas.width = v.videoWidth;
        canvas.height = v.videoHeight;
        ctx.drawImage(v, 0, 0);
        try {
          const results = await m.readBarcodes(ctx.getImageData(0, 0, canvas.width, canvas.height), {
            formats,
            tryHarder: true,
            maxNumberOfSymbols: 1,
          });
          const hit = results.find((r) => r.isValid && r.text);
          if (hit && !stopped) {
            stopped = true;
            setOpen(false);
            onCode(hit.text.trim());
            return;
          }
        } catch {
          // A frame that cannot be read: try the next one.
        }
      }
      timer = setTimeout(() => void tick(m), 250);
    };

    (async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
        if (stopped) return;
        if (video.current) {
          video.current.srcObject = stream;
          await video.current.play().catch(() => undefined);
        }
        const m = await loadReader();
        void tick(m);
      } catch (err) {
        const name = err instanceof DOMException ? err.name : '';
        setError(name === 'NotAllowedError' ? t('scan.denied') : t('scan.failed'));
        setOpen(false);
      }
    })();

    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      stream?.getTracks().forEach((tr) => tr.stop());
    };
  }, [open]);

  if (!cameraAvailable()) return <p class="hint">{t('scan.unavailable')}</p>;
  return (
    <div class="scanner">
      {open ? (
        <>
          <video ref={video} class="scanner__video" muted playsInline aria-label={label} />
          <button type="button" class="button button--quiet button--small" onClick={() => setOpen(false)}>
            {t('scan.stop')}
          </button>
        </>
      ) : (
        <button
          type="button"
          class="button button--quiet button--block"
          onClick={() => {
            setError(null);
            setOpen(true);
          }}
        >
          <Icon name="qr" size={20} /> {t('scan.start', { what: label })}
        </button>
      )}
      {error && (
        <p class="flash flash--error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
