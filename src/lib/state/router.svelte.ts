// A tiny hash router: the current stage follows `location.hash` (`#/corpus`); unknown or empty
// hashes are replaced by the default stage.
import { DEFAULT_STAGE, stageFromHash, stageHref, type StageId } from '../config/stages';

export class Router {
  /** The stage on screen. */
  current = $state<StageId>(DEFAULT_STAGE);
  /** How many navigations happened since start-up; 0 on the first page shown. */
  navigations = $state(0);

  constructor(private readonly target: Window = window) {
    this.current = this.#resolve();
  }

  /** Starts following hash changes; returns the function that stops it. */
  listen(): () => void {
    const onChange = () => {
      const next = this.#resolve();
      if (next === this.current) return;
      this.current = next;
      this.navigations++;
    };
    this.target.addEventListener('hashchange', onChange);
    return () => this.target.removeEventListener('hashchange', onChange);
  }

  #resolve(): StageId {
    const stage = stageFromHash(this.target.location.hash);
    if (stage) return stage;
    // NOTE: replaceState does not fire hashchange, and keeps the bad hash out of history.
    this.target.history.replaceState(null, '', stageHref(DEFAULT_STAGE));
    return DEFAULT_STAGE;
  }
}
