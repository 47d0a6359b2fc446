// The operator page's strategies section: one edit form per strategy (its strategies-file entry, GET
// /api/v1/strategies), saved with PUT. The browser checks the inputs' types; the server validates the entry by the
// strategies file's rules and its field errors are shown beside the fields they name.
import { ApiError, get, send } from '../api.js';
import { h, notice } from '../format.js';

const strategiesPath = '/api/v1/strategies';
// What identifies a strategy and its series: shown, not edited (a strategy's id cannot change).
const fixedKeys = ['id', 'kind', 'instrument', 'timeframe'];

export async function strategiesSection(served, abort) {
  const section = h('section', { 'aria-labelledby': 'strategies-title' }, h('h2', { id: 'strategies-title' }, 'Strategies'));
  if (!served) {
    section.append(notice(`This silo does not serve the strategies API (GET ${strategiesPath} is not in its API): strategies are edited in their configuration file.`));
    return section;
  }
  const entries = await get(strategiesPath, { signal: abort });
  section.append(...entries.map(editForm));
  return section;
}

function editForm(entry) {
  const prefix = `strategy-${entry.id}`.replace(/[^A-Za-z0-9_-]/g, '-');
  const status = h('p', { class: 'notice note', role: 'status' });
  const editable = Object.entries(entry).filter(([key, value]) => !fixedKeys.includes(key) && (value === null || typeof value !== 'object'));
  const fields = editable.map(([key, value]) => {
    const id = `${prefix}-${key}`;
    const input = typeof value === 'boolean'
      ? h('input', { id, name: key, type: 'checkbox', checked: value })
      : typeof value === 'string'
        ? h('input', { id, name: key, type: 'text', value, required: true })
        : h('input', { id, name: key, type: 'number', step: 'any', value: value ?? '', 'aria-describedby': `${id}-error` });
    return { key, value, input, error: h('span', { id: `${id}-error`, class: 'error' }) };
  });
  const form = h('form', { class: 'edit', 'aria-labelledby': `${prefix}-title`, 'data-strategy': entry.id },
    h('h3', { id: `${prefix}-title` }, `${entry.id}`, h('small', {}, ` ${fixedKeys.slice(1).map((key) => entry[key]).filter(Boolean).join(' ')}`)),
    fields.map(({ key, input, error }) => h('div', { class: 'field' }, h('label', { for: input.id }, key), input, error)),
    h('div', { class: 'field buttons' }, h('button', { type: 'submit' }, `Save ${entry.id}`)),
    status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const changed = { ...entry };
    for (const { key, value, input, error } of fields) {
      error.textContent = '';
      input.removeAttribute('aria-invalid');
      changed[key] = typeof value === 'boolean' ? input.checked
        : typeof value === 'string' ? input.value.trim()
          : input.value === '' ? null : Number(input.value);
    }
    try {
      const saved = await send('PUT', `${strategiesPath}/${encodeURIComponent(entry.id)}`, { body: changed });
      Object.assign(entry, saved.strategy ?? changed);
      status.textContent = `Saved ${entry.id}${saved.warnings?.length ? ` (warnings: ${saved.warnings.join(' ')})` : ''}.`;
    } catch (error) {
      if (!(error instanceof ApiError)) {
        throw error;
      }
      status.textContent = `Not saved: ${error.message}`;
      for (const [key, messages] of Object.entries(error.errors)) {
        const field = fields.find((f) => f.key === key || key.endsWith(`.${f.key}`) || key.endsWith(`:${f.key}`));
        if (field) {
          field.input.setAttribute('aria-invalid', 'true');
          field.error.textContent = messages.join(' ');
        }
      }
    }
  });
  return form;
}
