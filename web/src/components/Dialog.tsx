// A modal dialog on the native <dialog> (focus kept inside, Escape closes, the page behind inert).
import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';
import { t } from '../i18n';

export function Dialog({
  title,
  onClose,
  children,
  role = 'dialog',
}: {
  title: string;
  onClose: () => void;
  children: (titleId: string) => ComponentChildren;
  /** alertdialog for a confirmation that destroys something. */
  role?: 'dialog' | 'alertdialog';
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    const opener = document.activeElement as HTMLElement | null;
    if (!d.open) d.showModal();
    return () => {
      if (d.open) d.close();
      opener?.focus?.();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      class="sheet"
      role={role}
      aria-labelledby={`${id}-t`}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClick={(e) => {
        // A tap on the backdrop (the dialog element itself, outside the panel) closes it.
        if (e.target === ref.current) onClose();
      }}
    >
      <div class="sheet__panel">
        <div class="sheet__head">
          <h2 id={`${id}-t`} class="sheet__title">
            {title}
          </h2>
          <button type="button" class="sheet__close" aria-label={t('common.close')} onClick={onClose}>
            ×
          </button>
        </div>
        {children(`${id}-t`)}
      </div>
    </dialog>
  );
}
