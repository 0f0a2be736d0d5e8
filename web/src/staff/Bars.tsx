// Horizontal bar charts for the reports (plain HTML, no library). The bars are for the eye; the
// same numbers are in the table next to them, so the chart is one labelled image for screen readers.
import { sm } from './messages';
import './admin.css';

export interface BarRow {
  label: string;
  values: number[];
}

export function Bars({ title, series, rows }: { title: string; series: string[]; rows: BarRow[] }) {
  const max = Math.max(1, ...rows.flatMap((r) => r.values));
  return (
    <figure class="bars" role="img" aria-label={sm('reports.chartAlt', { title })}>
      <figcaption class="bars__title" aria-hidden="true">
        {title}
        {series.length > 1 && (
          <span class="bars__legend">
            {series.map((s, i) => (
              <span key={s} class={`bars__key bars__key--${i}`}>
                {s}
              </span>
            ))}
          </span>
        )}
      </figcaption>
      <div class="bars__rows" aria-hidden="true">
        {rows.map((r) => (
          <div class="bars__row" key={r.label}>
            <span class="bars__label">{r.label}</span>
            <span class="bars__tracks">
              {r.values.map((v, i) => (
                <span key={i} class="bars__track">
                  <span class={`bars__bar bars__bar--${i}`} style={{ width: `${(v / max) * 100}%` }} />
                  <span class="bars__value">{v}</span>
                </span>
              ))}
            </span>
          </div>
        ))}
      </div>
    </figure>
  );
}
