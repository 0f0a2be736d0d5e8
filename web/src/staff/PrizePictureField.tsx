// A1 prize picture (獎品圖片): pick a JPEG, PNG or WebP file (at most 2 MiB), see it before saving;
// PrizesAdminPage uploads it after the prize is saved. The server checks the bytes again.
import { useEffect, useId, useState } from 'preact/hooks';
import { getLang } from '../i18n';

export const PICTURE_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
export const PICTURE_MAX_BYTES = 2 * 1024 * 1024;

const strings = {
  'zh-TW': {
    label: '獎品圖片',
    hint: 'JPEG、PNG 或 WebP，最大 2 MB。儲存獎品時一併上傳。',
    current: '目前的圖片',
    preview: '將上傳的圖片預覽',
    badType: '只能上傳 JPEG、PNG 或 WebP 圖片。',
    tooBig: '圖片太大（上限 2 MB）。',
    clear: '取消選擇的圖片',
  },
  en: {
    label: 'Prize picture',
    hint: 'JPEG, PNG or WebP, at most 2 MB. Uploaded when the prize is saved.',
    current: 'Current picture',
    preview: 'Preview of the picture to upload',
    badType: 'Only JPEG, PNG or WebP pictures can be uploaded.',
    tooBig: 'The picture is too large (2 MB at most).',
    clear: 'Clear the chosen picture',
  },
};
const s = () => strings[getLang() === 'en' ? 'en' : 'zh-TW'];

/** Why a file cannot be a prize picture, or null when it can. */
export function pictureProblem(file: File): string | null {
  if (!PICTURE_TYPES.includes(file.type)) return s().badType;
  if (file.size > PICTURE_MAX_BYTES) return s().tooBig;
  return null;
}

export function PrizePictureField({ currentUrl, file, onFile }: { currentUrl: string | null; file: File | null; onFile: (f: File | null) => void }) {
  const id = useId();
  const [preview, setPreview] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [inputKey, setInputKey] = useState(0);  // remounts the input to forget a cleared file
  useEffect(() => {
    if (!file) return setPreview(null);
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);
  const shown = preview ?? currentUrl;
  return (
    <div class="field">
      <label for={id}>{s().label}</label>
      <p id={`${id}-hint`} class="field__hint">
        {s().hint}
      </p>
      <input
        key={inputKey}
        id={id}
        type="file"
        accept={PICTURE_TYPES.join(',')}
        aria-describedby={`${id}-hint${problem ? ` ${id}-err` : ''}`}
        aria-invalid={problem ? 'true' : undefined}
        onChange={(e) => {
          const input = e.currentTarget;
          const picked = input.files?.[0] ?? null;
          const why = picked ? pictureProblem(picked) : null;
          setProblem(why);
          if (why) input.value = '';
          onFile(why ? null : picked);
        }}
      />
      {problem && (
        <p id={`${id}-err`} class="field__hint" role="alert">
          {problem}
        </p>
      )}
      {shown && <img src={shown} alt={preview ? s().preview : s().current} style={{ maxWidth: '100%', maxHeight: '10rem', objectFit: 'contain' }} />}
      {file && (
        <button type="button" class="button button--small button--quiet" onClick={() => { onFile(null); setInputKey((k) => k + 1); }}>
          {s().clear}
        </button>
      )}
    </div>
  );
}
