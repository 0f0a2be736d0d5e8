// A labelled text input with an optional hint, wired for screen readers.
import type { JSX } from 'preact';
import { useId } from 'preact/hooks';

type Props = Omit<JSX.InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onInput'> & {
  label: string;
  hint?: string;
  value: string;
  onValue: (value: string) => void;
  invalid?: boolean;
};

export function Field({ label, hint, value, onValue, invalid, ...input }: Props) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {hint && (
        <p id={hintId} class="field__hint">
          {hint}
        </p>
      )}
      <input
        id={id}
        value={value}
        onInput={(e) => onValue(e.currentTarget.value)}
        aria-describedby={hintId}
        aria-invalid={invalid ? 'true' : undefined}
        {...input}
      />
    </div>
  );
}
