// Memory reservations of the jobs one worker runs at once on one device: a
// job starts when its estimated footprint fits next to the running ones, and
// waits (first come, first served) otherwise. A job that cannot fit even on
// an idle device is refused up front by the caller (memoryRefusal).
export class MemoryGate {
  private reserved = 0;
  private readonly waiting: { bytes: number; go: () => void }[] = [];

  constructor(readonly capacityBytes: number) {}

  get reservedBytes(): number {
    return this.reserved;
  }

  /** Resolves once `bytes` are reserved; call the returned function to give them back. */
  async acquire(bytes: number): Promise<() => void> {
    // A waiter's bytes are reserved by admit(), before its continuation runs.
    if (this.waiting.length > 0 || !this.fits(bytes)) await new Promise<void>((go) => this.waiting.push({ bytes, go }));
    else this.reserved += bytes;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.reserved -= bytes;
      this.admit();
    };
  }

  /** A job alone on the device always starts: the caller refused those that cannot fit at all. */
  private fits(bytes: number): boolean {
    return this.reserved === 0 || this.reserved + bytes <= this.capacityBytes;
  }

  private admit(): void {
    for (let next = this.waiting[0]; next !== undefined && this.fits(next.bytes); next = this.waiting[0]) {
      this.waiting.shift();
      this.reserved += next.bytes;
      next.go();
    }
  }
}
