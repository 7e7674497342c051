import { api, h, showError } from '/cycles/ui.js';

const board = document.getElementById('board');
const result = document.getElementById('result');

async function load() {
  try {
    const entries = await api('/api/arena/leaderboard');
    board.replaceChildren(...entries.map((e) => h('tr', {},
      h('td', {}, e.rank), h('td', {}, e.version), h('td', {}, e.score.toFixed(0)),
      h('td', {}, `${e.lower.toFixed(0)} – ${e.upper.toFixed(0)}`),
      h('td', {}, e.games), h('td', {}, e.wins), h('td', {}, e.losses), h('td', {}, e.ties))));
    if (entries.length === 0) board.replaceChildren(h('tr', {}, h('td', { colspan: 8 }, 'No votes yet.')));
  } catch (error) {
    showError(board, error);
  }
}

document.getElementById('matches').addEventListener('submit', async (event) => {
  event.preventDefault();
  const data = new FormData(event.target);
  try {
    const made = await api('/api/arena/matches', {
      method: 'POST',
      body: {
        projectId: data.get('projectId').trim(),
        versionA: data.get('versionA').trim(),
        versionB: data.get('versionB').trim(),
        prompts: Number(data.get('prompts')),
      },
    });
    result.textContent = `${made.length} prompts sent to both versions; comparison tasks open as the answers arrive.`;
  } catch (error) {
    showError(result, error);
  }
});

await load();
setInterval(load, 30000);
