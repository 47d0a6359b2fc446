// Series chart: candles of a chosen range (lightweight-charts), the strategies' indicator lines when the candles
// endpoint gives them, a marker per signal coloured by its outcome, stop/target lines of open signals, and the
// series' regime and each signal's confidence when the API reports them.
import {
  CandlestickSeries, LineSeries, LineStyle, createChart, createSeriesMarkers,
} from 'lightweight-charts';
import { allPages, get, withQuery } from '../api.js';
import {
  chartTime, confidenceBadge, dash, direction, directionBadge, h, isOpen, notice, number, outcomeBadge, percent, select, time, timeframeMs,
} from '../format.js';
import { chartLink } from '../router.js';

const defaultBars = 500;
const maxCandles = 5000;
const maxSignals = 2000;
const outcomeColours = { win: '#1a7f37', loss: '#cf222e', expired: '#57606a', open: '#0969da' };
const noOutcomeColour = '#8250df';
const lineColours = ['#bc4c00', '#0550ae', '#8250df', '#1b7c83', '#953800', '#6639ba'];

export async function chartPage(view, route, abort) {
  const started = performance.now();
  const { series } = await get('/api/v1/series', { signal: abort });
  if (series.length === 0) {
    view.append(h('h1', {}, 'Chart'), notice('No series is configured.'));
    return;
  }
  const [instrument, timeframe] = route.segments;
  const current = series.find((s) => s.instrument === instrument && s.timeframe === timeframe);
  if (!current) {
    location.replace(chartLink(series[0].instrument, series[0].timeframe));
    return;
  }

  const range = await chosenRange(current, route.query, abort);
  view.append(
    h('div', { class: 'page-head' }, h('h1', {}, `${current.instrument} ${current.timeframe}`)),
    controls(series, current, range),
    seriesFacts(current));
  if (!range) {
    view.append(notice('This series has no candle yet: the chart appears once the feed has delivered some.'));
    return;
  }

  const [candles, signals] = await Promise.all([
    get(withQuery(`/api/v1/series/${current.instrument}/${current.timeframe}/candles`,
      { from: range.from, to: range.to, limit: maxCandles }), { signal: abort }),
    allPages('/api/v1/signals', { instrument: current.instrument, timeframe: current.timeframe, from: range.from, to: range.to, limit: 1000 },
      maxSignals, { signal: abort }),
  ]);
  if (candles.truncated) {
    view.append(notice(`The range holds more than ${maxCandles} candles; the chart shows its first ${maxCandles}. Narrow the range to see the rest.`));
  }
  if (!signals.complete) {
    view.append(notice(`The range holds more than ${maxSignals} signals; markers show the newest ${maxSignals}.`));
  }

  const figure = h('figure', { class: 'chart', 'aria-label': `Candlestick chart of ${current.instrument} ${current.timeframe}` });
  const caption = h('figcaption', {});
  view.append(h('div', { class: 'chart-frame' }, figure), caption, legend(), signalTable(signals.items, candles.price_decimals));
  const chart = drawChart(figure, candles, signals.items);
  abort.addEventListener('abort', () => chart.remove());
  caption.textContent = `${candles.candles.length} candles from ${time(candles.candles[0]?.time)} to ${time(candles.candles.at(-1)?.time)} UTC, `
    + `${signals.items.length} signals. Markers: ▲ buy, ▼ sell, coloured by outcome.`;
  // Ready once the browser has painted the chart: what the browser tests wait for (and time).
  requestAnimationFrame(() => {
    figure.dataset.renderMs = String(Math.round(performance.now() - started));
    figure.dataset.state = 'ready';
  });
}

/** The range from the URL (from/to dates), around a linked signal, or the last 500 candles of the series. */
async function chosenRange(current, query, abort) {
  const asStart = (value) => (value.length === 10 ? `${value}T00:00:00Z` : value);
  const asEnd = (value) => (value.length === 10 ? `${value}T23:59:59Z` : value);
  const bars = (count) => count * timeframeMs(current.timeframe);
  if (query.get('from') || query.get('to')) {
    return { from: query.get('from') ? asStart(query.get('from')) : null, to: query.get('to') ? asEnd(query.get('to')) : null };
  }
  if (query.get('signal')) {
    const signal = await get(`/api/v1/signals/${encodeURIComponent(query.get('signal'))}`, { signal: abort });
    const at = new Date(signal.time).getTime();
    return { from: new Date(at - bars(defaultBars * 0.7)).toISOString(), to: new Date(at + bars(defaultBars * 0.3)).toISOString() };
  }
  if (!current.last_candle_time) {
    return null;
  }
  const last = new Date(current.last_candle_time).getTime();
  return { from: new Date(last - bars(defaultBars)).toISOString(), to: current.last_candle_time };
}

function controls(series, current, range) {
  const day = (value) => (value ? value.slice(0, 10) : '');
  const from = h('input', { id: 'range-from', name: 'from', type: 'date', value: day(range?.from) });
  const to = h('input', { id: 'range-to', name: 'to', type: 'date', value: day(range?.to) });
  const go = (instrument, timeframe, parameters) => location.replace(chartLink(instrument, timeframe, parameters));
  const preset = (label, months) => h('button', {
    type: 'button',
    class: 'secondary',
    onclick: () => {
      const end = current.last_candle_time ? new Date(current.last_candle_time) : new Date();
      const start = new Date(end);
      start.setUTCMonth(start.getUTCMonth() - months);
      go(current.instrument, current.timeframe, { from: day(start.toISOString()), to: day(end.toISOString()) });
    },
  }, label);
  return h('form', {
    class: 'filters',
    'aria-label': 'Series and range',
    onsubmit: (event) => {
      event.preventDefault();
      go(current.instrument, current.timeframe, { from: from.value, to: to.value });
    },
  },
  select('chart-series', 'Series', series.map((s) => [s.series, `${s.instrument} ${s.timeframe}`]), current.series, (event) => {
    const chosen = series.find((s) => s.series === event.target.value);
    go(chosen.instrument, chosen.timeframe, {});
  }),
  h('div', { class: 'field' }, h('label', { for: 'range-from' }, 'From'), from),
  h('div', { class: 'field' }, h('label', { for: 'range-to' }, 'To'), to),
  h('div', { class: 'field buttons' }, h('button', { type: 'submit' }, 'Show'),
    preset('1 month', 1), preset('3 months', 3), preset('1 year', 12), preset('2 years', 24)));
}

/** What the series status says: its strategies, market context (regime, ADX, ATR percentile: when reported) and last candle. */
function seriesFacts(current) {
  return h('dl', { class: 'facts' },
    h('div', {}, h('dt', {}, 'Regime'), h('dd', { 'data-field': 'regime' }, current.context?.regime ?? dash)),
    h('div', {}, h('dt', {}, 'ADX'), h('dd', {}, number(current.context?.adx, 1))),
    h('div', {}, h('dt', {}, 'ATR percentile'), h('dd', {}, percent(current.context?.atr_percentile))),
    h('div', {}, h('dt', {}, 'Strategies'), h('dd', {}, current.strategies.map((s) => `${s.id} (${s.kind})`).join(', ') || dash)),
    h('div', {}, h('dt', {}, 'Last candle'), h('dd', {}, current.last_candle_time ? `${time(current.last_candle_time)} UTC` : dash)),
    h('div', {}, h('dt', {}, 'Status'), h('dd', {}, current.warming_up ? 'warming up' : 'ready')));
}

function drawChart(figure, candles, signals) {
  const decimals = candles.price_decimals;
  const chart = createChart(figure, {
    autoSize: true,
    layout: { background: { color: '#ffffff' }, textColor: '#1f2328' },
    grid: { vertLines: { color: '#eaeef2' }, horzLines: { color: '#eaeef2' } },
    // A small minimum spacing lets a two-year H4 range (about 3,100 bars) fit the width.
    timeScale: { timeVisible: true, secondsVisible: false, minBarSpacing: 0.1 },
  });
  const priceFormat = { type: 'price', precision: decimals, minMove: 10 ** -decimals };
  const bars = chart.addSeries(CandlestickSeries, {
    priceFormat,
    upColor: '#1a7f37', downColor: '#cf222e', borderVisible: false, wickUpColor: '#1a7f37', wickDownColor: '#cf222e',
  });
  bars.setData(candles.candles.map((c) => ({ time: chartTime(c.time), open: c.open, high: c.high, low: c.low, close: c.close })));

  const lines = indicatorLines(candles);
  const low = Math.min(...candles.candles.map((c) => c.low));
  const high = Math.max(...candles.candles.map((c) => c.high));
  let panes = 0;
  Object.entries(lines).forEach(([name, points], index) => {
    // Lines in the candles' price range (moving averages, channels) overlay them; others (RSI, ATR, MACD) get a pane each.
    const overlay = points.every((p) => p.value >= low - (high - low) && p.value <= high + (high - low));
    const line = chart.addSeries(LineSeries, {
      priceFormat: overlay ? priceFormat : { type: 'price', precision: 4, minMove: 0.0001 },
      color: lineColours[index % lineColours.length],
      lineWidth: 1,
      title: name,
      lastValueVisible: false,
      priceLineVisible: false,
    }, overlay ? 0 : ++panes);
    line.setData(points);
  });

  const first = chartTime(candles.candles[0]?.time ?? 0);
  const last = chartTime(candles.candles.at(-1)?.time ?? 0);
  const onChart = signals.filter((s) => chartTime(s.time) >= first && chartTime(s.time) <= last);
  const markers = onChart
    .map((s) => {
      const buy = s.signal > 0;
      const result = isOpen(s) ? 'open' : s.outcome?.result;
      return {
        time: chartTime(s.time),
        position: buy ? 'belowBar' : 'aboveBar',
        shape: buy ? 'arrowUp' : 'arrowDown',
        color: outcomeColours[result] ?? noOutcomeColour,
        text: result ? `${direction(s)} ${result}` : direction(s),
      };
    })
    .sort((a, b) => a.time - b.time);
  createSeriesMarkers(bars, markers);

  for (const open of onChart.filter(isOpen)) {
    bars.createPriceLine({ price: open.stop_loss, color: '#cf222e', lineStyle: LineStyle.Dashed, lineWidth: 1, title: `Stop ${direction(open)}` });
    bars.createPriceLine({ price: open.take_profit, color: '#1a7f37', lineStyle: LineStyle.Dashed, lineWidth: 1, title: `Target ${direction(open)}` });
  }
  chart.timeScale().fitContent();

  figure.dataset.candles = String(bars.data().length);
  figure.dataset.markers = String(markers.length);
  figure.dataset.indicators = Object.keys(lines).join(',');
  return chart;
}

/**
 * Indicator values per line ("strategy indicator"), from each candle's `indicators` ({ strategy: { name: value } })
 * when the candles endpoint sends them; none otherwise (the chart never computes an indicator itself). A null value
 * (a strategy still warming up) leaves a gap.
 */
function indicatorLines(candles) {
  const lines = {};
  for (const candle of candles.candles) {
    for (const [strategy, values] of Object.entries(candle.indicators ?? {})) {
      for (const [name, value] of Object.entries(values ?? {})) {
        if (value !== null && value !== undefined) {
          (lines[`${strategy} ${name}`] ??= []).push({ time: chartTime(candle.time), value });
        }
      }
    }
  }
  return lines;
}

function legend() {
  const item = (colour, label) => h('li', {}, h('span', { class: 'swatch', style: `background:${colour}` }), label);
  return h('ul', { class: 'legend', 'aria-label': 'Marker colours' },
    item(outcomeColours.win, 'win'), item(outcomeColours.loss, 'loss'), item(outcomeColours.expired, 'expired'),
    item(outcomeColours.open, 'open (stop and target drawn)'), item(noOutcomeColour, 'no outcome reported'));
}

function signalTable(signals, decimals) {
  if (signals.length === 0) {
    return notice('No signal in this range.');
  }
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Signals on the chart' },
    h('table', {},
      h('caption', {}, 'Signals in this range, newest first'),
      h('thead', {}, h('tr', {}, ['Time (UTC)', 'Strategy', 'Direction', 'Entry', 'Stop', 'Target', 'Confidence', 'Outcome']
        .map((title) => h('th', { scope: 'col' }, title)))),
      h('tbody', {}, signals.map((s) => h('tr', { 'data-id': s.id },
        h('td', {}, time(s.time)), h('td', {}, s.strategy), h('td', {}, directionBadge(s)),
        h('td', { class: 'num' }, number(s.close, decimals)), h('td', { class: 'num' }, number(s.stop_loss, decimals)),
        h('td', { class: 'num' }, number(s.take_profit, decimals)), h('td', {}, confidenceBadge(s)),
        h('td', {}, outcomeBadge(s)))))));
}
