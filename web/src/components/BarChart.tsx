// A small bar chart of points earned and spent per month of a year (SVG, no library). Screen
// readers get the same numbers as a table.
import { monthName, t } from '../i18n';

export interface MonthBar {
  month: number;
  earned: number;
  spent: number;
}

export function BarChart({ year, data, selected }: { year: number; data: MonthBar[]; selected: number | null }) {
  const max = Math.max(1, ...data.map((d) => Math.max(d.earned, d.spent)));
  const W = 336;
  const H = 132;
  const top = 14;
  const base = H - 20;
  const slot = W / 12;
  const bar = Math.max(4, Math.floor(slot / 2 - 3));
  const scale = (v: number) => (v / max) * (base - top);
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${W} ${H}`} class="chart__svg" aria-hidden="true" focusable="false" preserveAspectRatio="none">
        <line x1="0" y1={base} x2={W} y2={base} class="chart__axis" />
        {data.map((d, i) => {
          const x = i * slot + slot / 2;
          const hE = scale(d.earned);
          const hS = scale(d.spent);
          const on = selected === d.month;
          return (
            <g key={d.month} class={on ? 'chart__month chart__month--on' : 'chart__month'}>
              {on && <rect x={i * slot + 1} y={2} width={slot - 2} height={H - 4} rx="6" class="chart__focus" />}
              <rect x={x - bar - 1} y={base - hE} width={bar} height={hE} rx="2" class="chart__earned" />
              <rect x={x + 1} y={base - hS} width={bar} height={hS} rx="2" class="chart__spent" />
              {d.earned > 0 && (
                <text x={x - bar / 2 - 1} y={base - hE - 3} class="chart__value" text-anchor="middle">
                  {d.earned}
                </text>
              )}
              <text x={x} y={H - 5} class="chart__label" text-anchor="middle">
                {d.month}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption class="chart__legend">
        <span class="legend legend--earned">{t('entries.earned')}</span>
        <span class="legend legend--spent">{t('entries.spent')}</span>
      </figcaption>
      <table class="visually-hidden">
        <caption>{t('entries.chartCaption', { year })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('entries.month')}</th>
            <th scope="col">{t('entries.earned')}</th>
            <th scope="col">{t('entries.spent')}</th>
          </tr>
        </thead>
        <tbody>
          {data.map((d) => (
            <tr key={d.month}>
              <th scope="row">{monthName(d.month)}</th>
              <td>{d.earned}</td>
              <td>{d.spent}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
