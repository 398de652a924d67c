import type { ActionRequest } from './action-sink.js';

/**
 * One item's waiting actions, oldest first, with what the runner schedules and reports by: the
 * log text they hold, how many of the item's actions run now, and its counters.
 */
export class ItemQueue {
  /** Characters of log text the waiting actions hold (see `textSize`). */
  text = 0;
  running = 0;
  submitted = 0;
  dropped = 0;
  /** Whether the queue is in the runner's round-robin list of items that may start an action. */
  listed = false;
  private waiting: (ActionRequest | undefined)[] = [];
  private head = 0;

  constructor(readonly name: string) {}

  get length(): number {
    return this.waiting.length - this.head;
  }

  push(request: ActionRequest): void {
    this.waiting.push(request);
    this.text += textSize(request);
  }

  /** Takes the oldest waiting action, the next to run. */
  shift(): ActionRequest | undefined {
    if (this.head === this.waiting.length) return undefined;
    const next = this.waiting[this.head];
    this.waiting[this.head++] = undefined;
    if (next !== undefined) this.text -= textSize(next);
    if (this.head === this.waiting.length) {
      this.waiting = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting = this.waiting.slice(this.head);
      this.head = 0;
    }
    return next;
  }

  /** Takes the newest waiting action: the one a full queue gives up. */
  pop(): ActionRequest | undefined {
    if (this.head === this.waiting.length) return undefined;
    const last = this.waiting.pop();
    if (last !== undefined) this.text -= textSize(last);
    return last;
  }
}

/** The log text an action holds while it waits: its line, and its captures but `$0`, which is the line. */
export function textSize(request: ActionRequest): number {
  let size = request.line.length;
  for (const text of request.captures) if (text !== undefined && text !== request.line) size += text.length;
  return size;
}
