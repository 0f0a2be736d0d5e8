// Charts for the reading report (SVG, no library): columns for one or two series, and labelled
// horizontal bars. The drawing is hidden from screen readers; each chart carries its numbers as a
// table (visually hidden for the columns, visible for the bars).
import type { ComponentChildren } from 'preact';

export interface Series {
  label: string;
  /** CSS modifier: chart__bar--a / --b. */
  tone: 'a' | 'b';
}

export interface Column {
  label: string;
  /** Long name for the table ("9 月", "2026"). */
  name: string;
  values: number[];
}

export function ColumnChart({
  caption,
  series,
  columns,
  headLabel,
}: {
  caption: string;
  series: Series[];
  columns: Column[];
  headLabel: string;
}) {
  const max = Math.max(1, ...columns.flatMap((c) => c.values));
  const W = 336;
  const H = 150;
  const top = 16;
  const base = H - 20;
  const slot = W / Math.max(columns.length, 1);
  const gap = 2;
  const bar = Math.max(4, Math.min(26, Math.floor((slot - 6) / series.length) - gap));
  const scale = (v: number) => (v / max) * (base - top);
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${W} ${H}`} class="chart__svg" aria-hidden="true" focusable="false">
        <line x1="0" y1={base} x2={W} y2={base} class="chart__axis" />
        {columns.map((c, i) => {
          const mid = i * slot + slot / 2;
          const width = series.length * (bar + gap) - gap;
          return (
            <g key={c.label}>
              {c.values.map((v, j) => {
                const x = mid - width / 2 + j * (bar + gap);
                const h = scale(v);
                return (
                  <g key={j}>
                    <rect x={x} y={base - h} width={bar} height={h} rx="2" class={`chart__bar chart__bar--${series[j]?.tone ?? 'a'}`} />
                    {v > 0 && (
                      <text x={x + bar / 2} y={base - h - 3} class="chart__value" text-anchor="middle">
                        {v}
                      </text>
                    )}
                  </g>
                );
              })}
              <text x={mid} y={H - 5} class="chart__label" text-anchor="middle">
                {c.label}
              </text>
            </g>
          );
        })}
      </svg>
      {series.length > 1 && (
        <figcaption class="chart__legend">
          {series.map((s) => (
            <span key={s.label} class={`legend legend--${s.tone}`}>
              {s.label}
            </span>
          ))}
        </figcaption>
      )}
      <table class="visually-hidden">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{headLabel}</th>
            {series.map((s) => (
              <th key={s.label} scope="col">
                {s.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {columns.map((c) => (
            <tr key={c.label}>
              <th scope="row">{c.name}</th>
              {c.values.map((v, j) => (
                <td key={j}>{v}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

export interface BarRow {
  key: string;
  label: ComponentChildren;
  value: number;
}

/** Labelled horizontal bars as a real table: class, a bar for the eye, the count. */
export function BarTable({ caption, rows, nameHead, valueHead }: { caption: string; rows: BarRow[]; nameHead: string; valueHead: string }) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  const total = rows.reduce((n, r) => n + r.value, 0);
  return (
    <table class="bartable">
      <caption class="visually-hidden">{caption}</caption>
      <thead class="visually-hidden">
        <tr>
          <th scope="col">{nameHead}</th>
          <th scope="col">{valueHead}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key} class={r.value === 0 ? 'bartable__row bartable__row--zero' : 'bartable__row'}>
            <th scope="row" class="bartable__name">
              {r.label}
            </th>
            <td class="bartable__cell">
              <span class="bartable__track" aria-hidden="true">
                <span class="bartable__bar" style={{ width: `${(r.value / max) * 100}%` }} />
              </span>
              <span class="bartable__value">
                {r.value}
                {total > 0 && r.value > 0 && <span class="bartable__pct"> · {Math.round((r.value / total) * 100)}%</span>}
              </span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

