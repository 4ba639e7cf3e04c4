// The FNN branch's input (paper section III.D): what a user bought before the
// current session. Sessions are visited in time order and each session reads
// the history before adding its own purchases, so nothing from the future leaks.

export class PurchaseHistory {
  private readonly bought = new Map<string, number[]>();

  /** Distinct item ids the user bought in earlier sessions (empty for anonymous users). */
  before(userId: string | undefined): readonly number[] {
    return userId === undefined ? [] : (this.bought.get(userId) ?? []);
  }

  record(userId: string | undefined, items: ArrayLike<number>): void {
    if (userId === undefined) return;
    let list = this.bought.get(userId);
    if (list === undefined) this.bought.set(userId, (list = []));
    for (let i = 0; i < items.length; i++) {
      const item = items[i] ?? -1;
      if (item >= 0 && !list.includes(item)) list.push(item);
    }
  }
}
