// A version's evaluation against its parent and its trainer's warnings, as the cycle and model
// pages show them. Prompts and answers are model output: they go in as text only.
import { h } from '/js/dom.js';

const fixed = (x, digits = 3) => (x === null || x === undefined ? 'n/a' : Number(x).toFixed(digits));

/** The warnings a version or a cycle carries, or null when there are none. */
export function warningList(warnings, label) {
  if (!warnings || !warnings.length) return null;
  return h('div', { class: 'warnings', role: 'note' },
    h('strong', {}, label),
    h('ul', {}, warnings.map((w) => h('li', {}, w))));
}

/** The evaluation of a policy version against its parent on held-out prompts. */
export function evaluationBlock(version, evaluation) {
  if (!evaluation) {
    return h('p', { class: 'evaluation evaluation-none' },
      `${version} has no evaluation: promoting it needs a reason.`);
  }
  const e = evaluation;
  const verdict = e.passed ? 'passed' : 'did not pass';
  return h('div', { class: `evaluation ${e.passed ? 'evaluation-passed' : 'evaluation-failed'}` },
    h('p', {}, h('strong', {}, `Evaluation ${verdict}`),
      ` against ${e.parentVersion} on ${e.prompts} ${e.heldOut ? 'held-out' : 'training'} prompts`,
      e.judgedBy ? `, judged by ${e.judgedBy}` : ', without a reward model to judge'),
    h('dl', { class: 'evaluation-figures' },
      h('dt', {}, 'Wins / ties / losses'), h('dd', {}, `${e.wins} / ${e.ties} / ${e.losses}`),
      h('dt', {}, 'Mean reward (parent)'), h('dd', {}, `${fixed(e.rewardMean)} (${fixed(e.parentRewardMean)})`),
      h('dt', {}, 'KL to the parent'), h('dd', {}, `${fixed(e.kl, 2)} nats`),
      h('dt', {}, 'Mean length (parent)'), h('dd', {}, `${fixed(e.responseLength, 1)} (${fixed(e.parentResponseLength, 1)}) tokens`)),
    e.reasons.length ? h('ul', { class: 'evaluation-reasons' }, e.reasons.map((r) => h('li', {}, r))) : null,
    e.samples.length ? h('details', {},
      h('summary', {}, `Side by side on ${e.samples.length} held-out prompts`),
      h('div', { class: 'table-wrap' }, h('table', { class: 'evaluation-samples' },
        h('thead', {}, h('tr', {}, ['Prompt', version, e.parentVersion].map((t) => h('th', {}, t)))),
        h('tbody', {}, e.samples.map((s) => h('tr', {},
          h('td', { 'data-title': 'Prompt', class: 'untrusted' }, s.prompt),
          h('td', { 'data-title': version, class: 'untrusted' }, s.answer,
            s.reward === null || s.reward === undefined ? null : h('small', {}, ` reward ${fixed(s.reward)}`)),
          h('td', { 'data-title': e.parentVersion, class: 'untrusted' }, s.parentAnswer,
            s.parentReward === null || s.parentReward === undefined ? null : h('small', {}, ` reward ${fixed(s.parentReward)}`)))))))) : null);
}
