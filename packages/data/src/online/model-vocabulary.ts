// The ids a trained model speaks: its pages (embedding rows), its items (the
// first `generatorItems` are the generator's softmax), which item each page
// shows, and the items' training-period counts (the copy's popularity
// features). A saved model carries these; the online loop grows them.

export interface ModelVocabulary {
  pages: readonly string[];
  items: readonly string[];
  /** Ids [0, generatorItems) are the generator's items. */
  generatorItems: number;
  /** Page id -> item id, -1 where the page shows none. */
  pageItems: ArrayLike<number>;
  itemTrainViews: ArrayLike<number>;
  itemTrainBuys: ArrayLike<number>;
}

/** string -> id of a list (first occurrence). */
export function indexOf(strings: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  strings.forEach((s, i) => {
    if (!m.has(s)) m.set(s, i);
  });
  return m;
}
