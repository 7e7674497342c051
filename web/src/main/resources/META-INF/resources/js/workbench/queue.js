// The contractor's assignments in hand: the one shown and one leased ahead, so the next task is
// already there when the current one is submitted or skipped.
import { api, query } from '../api.js';

const AHEAD = 2;

export class TaskQueue {
  constructor() {
    this.project = '';
    this.items = [];
    this.exhausted = false;
    /** Why no more tasks come (a cap or membership), when that is the reason. */
    this.limit = null;
    this.filling = null;
  }

  /** Starts over for a project ('' for any): picks up assignments still leased from before. */
  async reset(project) {
    this.project = project;
    this.exhausted = false;
    this.limit = null;
    const active = (await api(`/api/assignments${query({ state: 'ACTIVE' })}`)) || [];
    const now = Date.now();
    this.items = active
      .filter((a) => new Date(a.leaseExpiresAt).getTime() > now)
      .filter((a) => !project || a.projectId === project)
      .reverse(); // the API lists newest first; work oldest first
    await this.fill();
  }

  get current() {
    return this.items[0] || null;
  }

  /** Leases tasks until one is in hand and one waits, or there is no more work. */
  fill() {
    if (!this.filling) {
      this.filling = this.doFill().finally(() => {
        this.filling = null;
      });
    }
    return this.filling;
  }

  async doFill() {
    while (this.items.length < AHEAD && !this.exhausted) {
      let next;
      try {
        next = await api(`/api/tasks/next${query({ project: this.project })}`, { method: 'POST' });
      } catch (e) {
        // 409: the contractor holds as many open assignments as allowed; work with those.
        if (e.status === 409) return;
        // 429: the project's task cap is reached; 403: the project takes its members only.
        if (e.status === 429 || e.status === 403) {
          this.exhausted = true;
          this.limit = e.problem?.detail || e.message;
          return;
        }
        throw e;
      }
      if (!next) {
        this.exhausted = true;
        return;
      }
      this.items.push(next);
    }
  }

  /**
   * Drops the current assignment (submitted, skipped, or no longer the contractor's) and answers
   * the next one. An assignment leased ahead whose lease ran out meanwhile is dropped too: it could
   * be neither submitted nor skipped.
   */
  async advance() {
    this.items.shift();
    const now = Date.now();
    this.items = this.items.filter((a) => new Date(a.leaseExpiresAt).getTime() > now);
    if (this.items.length > 0) {
      this.fill().catch(() => {});
      return this.current;
    }
    await this.fill();
    return this.current;
  }

  /** Asks again after "no tasks": new work may have been opened since. */
  async retry() {
    this.exhausted = false;
    this.limit = null;
    await this.fill();
    return this.current;
  }
}
