// Small DOM and formatting helpers shared by the pages. Absent values show as a dash, never as an invented value.

export const dash = '—';

/** An element with attributes and children; strings become text nodes (never HTML). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name.startsWith('on')) {
      element.addEventListener(name.slice(2), value);
    } else {
      element.setAttribute(name, value === true ? '' : value);
    }
  }
  element.append(...children.flat().filter((child) => child !== null && child !== undefined));
  return element;
}

export const present = (value) => value !== null && value !== undefined;

export function number(value, decimals) {
  return present(value) ? Number(value).toFixed(decimals) : dash;
}

export function percent(value) {
  return present(value) ? `${(value * 100).toFixed(0)}%` : dash;
}

export function signedR(value) {
  return present(value) ? `${value >= 0 ? '+' : ''}${value.toFixed(2)}R` : dash;
}

/** Price decimals of an instrument (JPY quotes have 3, others 5), as the API rounds them. */
export const priceDecimals = (instrument) => (instrument.endsWith('JPY') ? 3 : 5);

export function time(value) {
  return present(value) ? new Date(value).toISOString().slice(0, 16).replace('T', ' ') : dash;
}

export const direction = (signal) => (signal.signal > 0 ? 'BUY' : 'SELL');

export function directionBadge(signal) {
  const name = direction(signal);
  return h('span', { class: `badge ${name.toLowerCase()}` }, name);
}

/** True for a signal still running: the API reports its outcome as null (or result open); absent means not tracked. */
export const isOpen = (signal) => signal.outcome === null || signal.outcome?.result === 'open';

/** The signal's outcome (win, loss, expired, or open while it runs); a dash where the API reports no outcomes. */
export function outcomeBadge(signal) {
  if (isOpen(signal)) {
    return h('span', { class: 'badge open' }, 'open');
  }
  const { outcome } = signal;
  if (!outcome?.result) {
    return h('span', { class: 'badge none', title: 'No outcome reported' }, dash);
  }
  const label = outcome.r_multiple !== undefined && outcome.result !== 'open'
    ? `${outcome.result} ${signedR(outcome.r_multiple)}`
    : outcome.result;
  return h('span', { class: `badge ${outcome.result}` }, label);
}

/** The signal's confidence, with its factors (name: score × weight) as the badge's title when the API gives them. */
export function confidenceBadge(signal) {
  const { confidence, confidence_factors: factors } = signal;
  if (!present(confidence)) {
    return h('span', { class: 'badge none', title: 'No confidence reported' }, dash);
  }
  const level = confidence >= 0.7 ? 'high' : confidence >= 0.4 ? 'medium' : 'low';
  const title = factors
    ? Object.entries(factors).map(([name, f]) => `${name}: ${number(f.score, 2)} × ${number(f.weight, 2)}`).join('\n')
    : null;
  return h('span', { class: `badge confidence-${level}`, title }, percent(confidence));
}

/** A message in the page: an error (role alert) or a note. */
export function notice(text, kind = 'note') {
  return h('p', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}

/** A labelled select; options are [value, label] pairs. */
export function select(id, label, options, selected, onchange) {
  return h('div', { class: 'field' },
    h('label', { for: id }, label),
    h('select', { id, name: id, onchange },
      options.map(([value, text]) => h('option', { value, selected: value === selected }, text))));
}

/** Seconds since the epoch, as lightweight-charts takes UTC times. */
export const chartTime = (value) => Math.floor(new Date(value).getTime() / 1000);

/** The length of a timeframe code (M1, M5, H1, H4, D, W) in milliseconds. */
export function timeframeMs(code) {
  const match = /^([MHDW])(\d*)$/.exec(code);
  if (!match) {
    return 3600_000;
  }
  const unit = { M: 60_000, H: 3600_000, D: 86_400_000, W: 604_800_000 }[match[1]];
  return unit * Number(match[2] || 1);
}
