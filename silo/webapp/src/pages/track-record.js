// Track record: per strategy and per series, win rate, profit factor, expectancy, drawdown (GET /api/v1/track-record)
// and the equity curve in R of the chosen row, from its signals' outcomes in exit order.
import { LineSeries, createChart } from 'lightweight-charts';
import { allPages, get, serves } from '../api.js';
import { chartTime, h, notice, number, percent, present, signedR } from '../format.js';

const trackRecordPath = '/api/v1/track-record';

export async function trackRecordPage(view, route, abort) {
  view.append(h('div', { class: 'page-head' }, h('h1', {}, 'Track record')));
  if (!await serves(trackRecordPath)) {
    view.append(notice(`This silo does not serve a track record (GET ${trackRecordPath} is not in its API): signal outcomes arrive with a later version.`));
    return;
  }

  const record = await get(trackRecordPath, { signal: abort });
  const curve = h('figure', { class: 'chart equity', 'aria-label': 'Equity curve in R' });
  const curveCaption = h('figcaption', {}, 'Choose a row to see its equity curve.');
  let chart = null;
  abort.addEventListener('abort', () => chart?.remove());
  const showCurve = async (label, filter) => {
    chart?.remove();
    const { items } = await allPages('/api/v1/signals', { ...filter, limit: 1000 }, 10_000, { signal: abort });
    const points = equity(items);
    chart = createChart(curve, { autoSize: true, layout: { background: { color: '#ffffff' }, textColor: '#1f2328' } });
    chart.addSeries(LineSeries, { color: '#0550ae', lineWidth: 2, priceFormat: { type: 'price', precision: 2, minMove: 0.01 } }).setData(points);
    chart.timeScale().fitContent();
    curveCaption.textContent = points.length
      ? `Equity of ${label}: cumulative R of ${points.length} closed signals in exit order, ending at ${signedR(points.at(-1).value)}.`
      : `${label} has no closed signal yet.`;
    curve.dataset.points = String(points.length);
  };

  const seriesFilter = (name) => {
    const cut = name.lastIndexOf('_');
    return { instrument: name.slice(0, cut), timeframe: name.slice(cut + 1) };
  };
  view.append(
    record.truncated ? notice(`The figures are over the newest ${record.signals_read} stored signals.`) : '',
    table('By strategy', 'Strategy', record.strategies, record.last, (row) => ({ strategy: row.name }), showCurve),
    table('By series', 'Series', record.series, record.last, (row) => seriesFilter(row.name), showCurve),
    h('div', { class: 'chart-frame' }, curve), curveCaption);
}

/** Cumulative R of closed outcomes in exit order (then signal time), one point per exit time. */
function equity(signals) {
  const closed = signals
    .filter((s) => s.outcome && s.outcome.result !== 'open' && present(s.outcome.r_multiple))
    .sort((a, b) => a.outcome.exit_time.localeCompare(b.outcome.exit_time) || a.time.localeCompare(b.time));
  const points = [];
  let total = 0;
  for (const s of closed) {
    total += s.outcome.r_multiple;
    const at = chartTime(s.outcome.exit_time);
    if (points.at(-1)?.time === at) {
      points.at(-1).value = total;
    } else {
      points.push({ time: at, value: total });
    }
  }
  return points;
}

/** All-time figures per row, the win rate of the last `last` resolved signals, and a button for the equity curve. */
function table(title, nameHeader, rows, last, filter, showCurve) {
  return h('section', {},
    h('h2', {}, title),
    rows.length === 0 ? notice('No stored signal yet.') : h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': title },
      h('table', {},
        h('thead', {}, h('tr', {}, [nameHeader, 'Signals', 'Open', 'Win rate', `Win rate, last ${last}`, 'Profit factor', 'Expectancy', 'Total pips', 'Max drawdown', 'Avg bars', 'Equity']
          .map((header) => h('th', { scope: 'col' }, header)))),
        h('tbody', {}, rows.map((row) => {
          const s = row.all_time;
          return h('tr', { 'data-name': row.name },
            h('th', { scope: 'row' }, row.name),
            h('td', { class: 'num' }, String(s.signals)),
            h('td', { class: 'num' }, String(s.open)),
            h('td', { class: 'num' }, percent(s.win_rate)),
            h('td', { class: 'num' }, percent(row.recent.win_rate)),
            h('td', { class: 'num' }, number(s.profit_factor, 2)),
            h('td', { class: 'num' }, signedR(s.expectancy_r)),
            h('td', { class: 'num' }, number(s.total_pips, 1)),
            h('td', { class: 'num' }, present(s.max_drawdown_r) ? `${number(s.max_drawdown_r, 2)}R` : dash),
            h('td', { class: 'num' }, number(s.avg_bars_held, 1)),
            h('td', {}, h('button', { type: 'button', class: 'secondary', 'aria-label': `Equity curve of ${row.name}`, onclick: () => showCurve(row.name, filter(row)) }, 'Equity curve')));
        })))));
}
