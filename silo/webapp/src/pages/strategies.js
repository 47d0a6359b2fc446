// The operator page's strategies section: each strategy's settings in a validated edit form, when the silo serves
// the strategies API.
import { h, notice } from '../format.js';

export async function strategiesSection(served) {
  const section = h('section', { 'aria-labelledby': 'strategies-title' }, h('h2', { id: 'strategies-title' }, 'Strategies'));
  if (!served) {
    section.append(notice('This silo does not serve the strategies API (GET /api/v1/strategies is not in its API): strategies are edited in their configuration file.'));
  }
  return section;
}
