// The app shell: hash routes (#/signals, #/chart/EUR_USD/H4, #/track-record, #/operator) and the API key dialog.
import { ApiError, key, whoAmI } from './api.js';
import { notice } from './format.js';
import { route } from './router.js';
import { signalsPage } from './pages/signals.js';
import { chartPage } from './pages/chart.js';
import { trackRecordPage } from './pages/track-record.js';
import { operatorPage } from './pages/operator.js';

const pages = {
  signals: signalsPage,
  chart: chartPage,
  'track-record': trackRecordPage,
  operator: operatorPage,
};

// Aborts the current page's requests and live stream when the route changes.
let leaving = null;

async function render() {
  leaving?.abort();
  leaving = new AbortController();
  const current = route();
  const view = document.getElementById('view');
  for (const link of document.querySelectorAll('nav a')) {
    if (link.dataset.page === current.name) {
      link.setAttribute('aria-current', 'page');
    } else {
      link.removeAttribute('aria-current');
    }
  }
  const titles = { signals: 'Signals', chart: 'Chart', 'track-record': 'Track record', operator: 'Operator' };
  document.title = `${titles[current.name]} · SignalFlow`;
  // A fresh container per visit: a page still loading when the route changed writes into a detached one.
  const container = document.createElement('div');
  view.replaceChildren(container);
  try {
    await pages[current.name](container, current, leaving.signal);
  } catch (error) {
    if (error.name !== 'AbortError') {
      const hint = error instanceof ApiError && error.status === 401 ? ' Enter a key with the API key button at the top.' : '';
      container.append(notice(error instanceof ApiError ? error.message + hint : `The page failed: ${error.message}`, 'error'));
    }
  }
}

function setUpKeyDialog() {
  const dialog = document.getElementById('key-dialog');
  const input = document.getElementById('key-input');
  const status = document.getElementById('key-status');
  const button = document.getElementById('key-button');
  const label = async () => {
    try {
      const me = await whoAmI();
      button.textContent = me ? `Key: ${me.name} (${me.role})` : 'API key';
      return me;
    } catch (error) {
      button.textContent = 'API key (not valid)';
      throw error;
    }
  };
  button.addEventListener('click', () => {
    status.textContent = '';
    input.value = '';
    dialog.showModal();
  });
  document.getElementById('key-close').addEventListener('click', () => dialog.close());
  document.getElementById('key-forget').addEventListener('click', async () => {
    key.forget();
    await label();
    dialog.close();
    render();
  });
  document.getElementById('key-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    key.set(input.value.trim());
    try {
      const me = await label();
      status.textContent = `Signed in as ${me.name} (${me.role}).`;
      dialog.close();
      render();
    } catch (error) {
      key.forget();
      status.textContent = error.message;
    }
  });
  label().catch(() => key.forget());
}

function start() {
  setUpKeyDialog();
  window.addEventListener('hashchange', render);
  render();
}

// A module script runs after the document is parsed.
start();
