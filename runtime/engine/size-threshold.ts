/**
 * logNOT's `size`: fires once at each multiple of `size` the file reaches. One growth that
 * crosses several multiples fires once (for the highest); a shrink (truncation, copytruncate)
 * re-arms from the new size. The first observation counts as growth from 0, so a file already
 * past a multiple when watching starts is reported.
 */
export class SizeThreshold {
  private last = 0;
  private reached = 0;

  constructor(readonly size: number) {}

  /** Takes `bytes` as already reported: a rule set reloaded while the file is this size. */
  prime(bytes: number): void {
    if (!(this.size > 0) || !(bytes >= 0)) return;
    this.last = bytes;
    this.reached = Math.floor(bytes / this.size);
  }

  /** The threshold just reached (a multiple of `size`, in bytes), or null. */
  observe(bytes: number): number | null {
    if (!(this.size > 0) || !(bytes >= 0)) return null;
    const multiple = Math.floor(bytes / this.size);
    if (bytes < this.last) {
      this.last = bytes;
      this.reached = multiple;
      return null;
    }
    this.last = bytes;
    if (multiple <= this.reached) return null;
    this.reached = multiple;
    return multiple * this.size;
  }
}
