// Progress of the run in this tab: answers done of the total, the rate over this session's answers and
// the time left at that rate (answers from before a pause or reload do not count towards the rate).
export class RunClock {
  done = $state(0);
  total = $state(0);
  running = $state(false);
  #startedAt = 0;
  #doneAtStart = 0;
  #lastAt = 0;

  start(done: number, total: number, now: number): void {
    this.done = done;
    this.total = total;
    this.running = true;
    this.#startedAt = now;
    this.#doneAtStart = done;
    this.#lastAt = now;
  }

  tick(done: number, now: number): void {
    this.done = done;
    this.#lastAt = now;
  }

  stop(): void {
    this.running = false;
  }

  /** Answers per second in this session, or null before the first one. */
  get rate(): number | null {
    const answered = this.done - this.#doneAtStart;
    const seconds = (this.#lastAt - this.#startedAt) / 1000;
    return answered > 0 && seconds > 0 ? answered / seconds : null;
  }

  /** Seconds left at the current rate, or null while unknown. */
  get etaSeconds(): number | null {
    const rate = this.rate;
    return rate ? (this.total - this.done) / rate : null;
  }
}
