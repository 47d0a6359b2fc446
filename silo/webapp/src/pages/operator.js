// Operator: notification channels (health, breaker, limits; pause and resume), dead letters with re-drive, and the
// strategies' edit forms. Reachable only with an operator key: without one the page asks for it and calls nothing.
import { ApiError, get, post, serves, whoAmI } from '../api.js';
import { dash, h, notice, time } from '../format.js';
import { strategiesSection } from './strategies.js';

export async function operatorPage(view, route, abort) {
  view.append(h('div', { class: 'page-head' }, h('h1', {}, 'Operator')));
  const me = await whoAmI();
  if (me?.role !== 'operator') {
    view.append(
      notice(me
        ? `The key '${me.name}' has the role '${me.role}'; the operator pages need a key of role operator.`
        : 'The operator pages need an operator key.', 'error'),
      h('button', { type: 'button', onclick: () => document.getElementById('key-button').click() }, 'Enter an operator key'));
    return;
  }

  const status = h('p', { class: 'notice note', role: 'status', 'aria-live': 'polite' });
  const channels = h('section', { 'aria-labelledby': 'channels-title' });
  const letters = h('section', { 'aria-labelledby': 'dead-letters-title' });
  const refresh = async () => {
    const [channelList, letterList] = await Promise.all([get('/api/v1/channels', { signal: abort }), get('/api/v1/dead-letters', { signal: abort })]);
    channels.replaceChildren(h('h2', { id: 'channels-title' }, 'Notification channels'), channelTable(channelList, act));
    letters.replaceChildren(h('h2', { id: 'dead-letters-title' }, 'Dead letters'), deadLetterTable(letterList, act));
  };
  // Runs an operator action, says what it did (or the server's reason it did not) and shows the new state.
  const act = async (action) => {
    try {
      status.textContent = await action();
    } catch (error) {
      status.textContent = error instanceof ApiError ? `Refused: ${error.message}` : error.message;
    }
    await refresh();
  };

  view.append(
    h('p', {}, `Signed in as ${me.name}. `, h('button', { type: 'button', class: 'secondary', onclick: () => act(async () => 'Refreshed.') }, 'Refresh')),
    status, channels, letters);
  await refresh();
  view.append(await strategiesSection(await serves('/api/v1/strategies'), abort));
}

function channelTable(channels, act) {
  if (channels.length === 0) {
    return notice('No notification channel is configured.');
  }
  const limits = (l) => (l ? `${l.signals_per_minute || '∞'}/min, ${l.signals_per_hour || '∞'}/h, cooldown ${l.pair_cooldown}` : dash);
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Channels table' },
    h('table', {},
      h('thead', {}, h('tr', {}, ['Channel', 'Type', 'Health', 'Breaker', 'Pending', 'Dead letters', 'Delivered', 'Suppressed', 'Limits', 'Last error', 'Action']
        .map((title) => h('th', { scope: 'col' }, title)))),
      h('tbody', {}, channels.map((c) => h('tr', { 'data-channel': c.name },
        h('th', { scope: 'row' }, c.name),
        h('td', {}, c.type),
        h('td', {}, h('span', { class: `badge health-${c.paused ? 'paused' : c.health}` }, c.paused ? 'paused' : c.health)),
        h('td', {}, c.breaker, c.next_attempt_at ? ` (next try ${time(c.next_attempt_at)})` : ''),
        h('td', { class: 'num' }, String(c.pending)),
        h('td', { class: 'num' }, String(c.dead_letters)),
        h('td', { class: 'num' }, String(c.delivered)),
        h('td', { class: 'num' }, String(c.suppressed)),
        h('td', {}, limits(c.limits)),
        h('td', { class: 'error-text' }, c.last_error ?? dash),
        h('td', {}, h('button', {
          type: 'button',
          'aria-label': `${c.paused ? 'Resume' : 'Pause'} channel ${c.name}`,
          onclick: () => act(async () => {
            await post(`/api/v1/channels/${encodeURIComponent(c.name)}/${c.paused ? 'resume' : 'pause'}`);
            return `Channel ${c.name} ${c.paused ? 'resumed' : 'paused'}.`;
          }),
        }, c.paused ? 'Resume' : 'Pause')))))));
}

function deadLetterTable(letters, act) {
  if (letters.length === 0) {
    return notice('No dead letter.');
  }
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Dead letters table' },
    h('table', {},
      h('thead', {}, h('tr', {}, ['Signal', 'Channel', 'Reason', 'Dead since', 'Attempts', 'Action'].map((title) => h('th', { scope: 'col' }, title)))),
      h('tbody', {}, letters.map((letter) => h('tr', { 'data-dead-letter': letter.id },
        h('td', { class: 'id' }, letter.id),
        h('td', {}, letter.channel),
        h('td', { class: 'error-text' }, letter.reason),
        h('td', {}, time(letter.dead_lettered_at)),
        h('td', { class: 'num' }, String(letter.attempts)),
        h('td', {}, h('button', {
          type: 'button',
          'aria-label': `Re-drive ${letter.id} on ${letter.channel}`,
          onclick: () => act(async () => {
            const done = await post(`/api/v1/dead-letters/${encodeURIComponent(letter.id)}/redrive?channel=${encodeURIComponent(letter.channel)}`);
            const count = done.channels.reduce((sum, c) => sum + c.redriven, 0);
            return `Re-drove ${count} dead letter${count === 1 ? '' : 's'} of ${letter.id} into the outbox of ${letter.channel}.`;
          }),
        }, 'Re-drive')))))));
}
