/**
 * Runs a follower's step so that it never runs inside itself, in three states:
 *
 *            run()                      step returns, no run() meanwhile
 *   IDLE ───────────▶ RUNNING ──────────────────────────────────────────▶ IDLE
 *                      │    ▲                        │ a step said "more" (budget used up)
 *          run() while │    │ the step runs again    ▼
 *          running ────┘    └── (AGAIN)          one setImmediate: run() on the next turn
 *
 * A call while the step runs (a handler that caused an event, a timer) is not lost: the step
 * runs once more when the current one returns. A step that used up its read budget asks for
 * more; one continuation is queued for the next turn of the event loop, however often it asks,
 * so a backlog never starves timers and I/O. Nothing runs once `halted()` is true.
 */
export class Pump {
  private running = false;
  private again = false;
  private continuation = false;

  /**
   * `step(poll)` does one pass (`poll`: it was the safety-net timer) and returns whether work
   * is left; a throw is passed to `fail`.
   */
  constructor(
    private readonly step: (poll: boolean) => boolean,
    private readonly halted: () => boolean,
    private readonly fail: (error: unknown) => void,
  ) {}

  run(poll: boolean): void {
    if (this.halted()) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    let more = false;
    try {
      let verify = poll;
      do {
        this.again = false;
        more = this.step(verify) || more;
        verify = false;
      } while (this.again && !this.halted());
    } catch (error) {
      this.fail(error);
    } finally {
      this.running = false;
    }
    if (more && !this.continuation && !this.halted()) {
      this.continuation = true;
      setImmediate(() => {
        this.continuation = false;
        this.run(false);
      });
    }
  }
}
