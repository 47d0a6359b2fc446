// Signals: the newest stored signals, then live ones over Server-Sent Events, filtered by instrument, timeframe,
// strategy and tier (the filters live in the URL, so a filtered view can be shared).
import { follow, get, withQuery } from '../api.js';
import {
  confidenceBadge, dash, directionBadge, h, notice, number, outcomeBadge, priceDecimals, select, time,
} from '../format.js';
import { chartLink } from '../router.js';

const shownRows = 200;
const tiers = ['free', 'standard', 'premium'];
const filterNames = ['instrument', 'timeframe', 'strategy', 'tier'];

export async function signalsPage(view, route, abort) {
  const filters = Object.fromEntries(filterNames.map((name) => [name, route.query.get(name) ?? '']));
  const unique = (values) => [...new Set(values)].sort();
  const choose = (name, label, values) => select(`filter-${name}`, label,
    [['', `All`], ...values.map((value) => [value, value])], filters[name], (event) => {
      const query = new URLSearchParams(Object.entries({ ...filters, [name]: event.target.value }).filter(([, value]) => value));
      location.replace(`#/signals${query.size ? `?${query}` : ''}`);
    });

  const state = h('span', { class: 'live-state', role: 'status', 'aria-live': 'polite' }, 'Connecting…');
  const body = h('tbody');
  const table = h('table', { class: 'signals' },
    h('caption', {}, 'Signals, newest candle first'),
    h('thead', {}, h('tr', {},
      ['Time (UTC)', 'Pair', 'TF', 'Strategy', 'Direction', 'Entry', 'Stop', 'Target', 'R:R', 'Confidence', 'Outcome', 'Chart']
        .map((title, index) => h('th', { scope: 'col', class: [3, 8].includes(index) ? 'wide-only' : null }, title)))),
    body);
  const form = h('form', { class: 'filters', 'aria-label': 'Filter signals', onsubmit: (event) => event.preventDefault() });
  view.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'Signals'), state),
    form,
    h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Signals table' }, table));

  const shown = new Map();
  const add = (signal, arrived) => {
    if (shown.has(signal.id)) {
      return;
    }
    const row = signalRow(signal, arrived);
    shown.set(signal.id, { signal, row });
    // Newest candle first; the live stream may deliver a signal of an older candle (another series catching up).
    const later = [...body.children].find((other) => compare(shown.get(other.dataset.id).signal, signal) > 0);
    body.insertBefore(row, later ?? null);
    while (body.children.length > shownRows) {
      shown.delete(body.lastElementChild.dataset.id);
      body.lastElementChild.remove();
    }
  };

  // The stream opens first and the list is read after it, so a signal made in between is in one or the other (rows
  // are keyed by id, so one in both shows once).
  const empty = notice('No signal yet: new ones appear here as they are made.');
  follow(withQuery('/api/v1/signals/stream', filters), {
    signal: abort,
    onSignal: (signal) => {
      empty.remove();
      add(signal, true);
    },
    onResync: () => {
      state.textContent = 'Live (resynchronised: some signals may be missing; reload to see them)';
    },
    onState: (text) => {
      state.textContent = { live: 'Live', retrying: 'Live (server retrying)', reconnecting: 'Reconnecting…', failed: 'Live updates stopped' }[text];
      state.dataset.state = text;
    },
  });

  // The list first: the filters' choices (from the series) must not hold up the rows.
  const series = get('/api/v1/series', { signal: abort });
  series.catch(() => {}); // Awaited below; a failure before then is the list's to report.
  const list = await get(withQuery('/api/v1/signals', { ...filters, limit: 100 }), { signal: abort });
  list.items.forEach((signal) => add(signal, false));
  const configured = (await series).series;
  form.append(
    choose('instrument', 'Instrument', unique(configured.map((s) => s.instrument))),
    choose('timeframe', 'Timeframe', unique(configured.map((s) => s.timeframe))),
    choose('strategy', 'Strategy', unique(configured.flatMap((s) => s.strategies.map((strategy) => strategy.id)))),
    choose('tier', 'Tier', tiers));
  if (shown.size === 0) {
    view.append(empty);
  }
}

/** Newest candle time first, then by id (the API's order). */
function compare(a, b) {
  return b.time.localeCompare(a.time) || a.id.localeCompare(b.id);
}

function signalRow(signal, arrived) {
  const decimals = priceDecimals(signal.instrument);
  return h('tr', { 'data-id': signal.id, class: arrived ? 'arrived' : null },
    h('td', {}, h('time', { datetime: signal.time }, time(signal.time))),
    h('td', {}, signal.instrument),
    h('td', {}, signal.timeframe),
    h('td', { class: 'wide-only' }, signal.strategy),
    h('td', {}, directionBadge(signal)),
    h('td', { class: 'num' }, number(signal.close, decimals)),
    h('td', { class: 'num' }, number(signal.stop_loss, decimals)),
    h('td', { class: 'num' }, number(signal.take_profit, decimals)),
    h('td', { class: 'num wide-only' }, signal.risk_reward_ratio ? number(signal.risk_reward_ratio, 2) : dash),
    h('td', {}, confidenceBadge(signal)),
    h('td', {}, outcomeBadge(signal)),
    h('td', {}, h('a', {
      href: chartLink(signal.instrument, signal.timeframe, { signal: signal.id }),
      'aria-label': `Chart of ${signal.instrument} ${signal.timeframe} at ${time(signal.time)}`,
    }, 'Chart')));
}
