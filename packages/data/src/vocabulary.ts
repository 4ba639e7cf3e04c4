// Vocabularies: raw page/item strings to dense ids. While reading, an
// Interner gives every distinct string a provisional id and counts it (memory
// grows with distinct pages, not with records). A Vocabulary is the final,
// deterministic numbering: by count descending, then by string, so the same
// input always gives the same ids.

export class Interner {
  private readonly ids = new Map<string, number>();
  readonly strings: string[] = [];
  private counts = new Int32Array(1024);

  /** Provisional id of `s`, counting one occurrence. */
  add(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.strings.length;
      this.ids.set(s, id);
      this.strings.push(s);
      if (id >= this.counts.length) {
        const grown = new Int32Array(this.counts.length * 2);
        grown.set(this.counts);
        this.counts = grown;
      }
    }
    this.counts[id] = (this.counts[id] ?? 0) + 1;
    return id;
  }

  /** Provisional id without counting, or -1. */
  get(s: string): number {
    return this.ids.get(s) ?? -1;
  }

  count(id: number): number {
    return this.counts[id] ?? 0;
  }

  get size(): number {
    return this.strings.length;
  }
}

export interface Vocabulary {
  /** Final id -> string; the first `reserved.length` ids are the reserved tokens. */
  readonly strings: readonly string[];
  /** Provisional (interner) id -> final id; `fallback` where not kept. */
  readonly remap: Int32Array;
}

/** Reserved page ids: 0 pads a short window, 1 stands for any page not in the vocabulary. */
export const PAGE_PAD = 0;
export const PAGE_OOV = 1;
export const PAGE_RESERVED = ["<pad>", "<oov>"] as const;

/**
 * The embedding row a page id reads in a model with `pageCount` pages: a page
 * the model does not know (an id after its vocabulary, which a scored batch
 * gives a page the model never saw so that its item still reaches the copy
 * slots) goes in as the out-of-vocabulary page, so nothing reads past the
 * embedding.
 */
export function embeddingPage(page: number, pageCount: number): number {
  return page >= pageCount ? PAGE_OOV : page;
}

/**
 * Numbers the strings whose weight (count) reaches `minCount`. `weight` lets the
 * caller count something other than the interner's counts (e.g. items bought in
 * the training split only); ids it gives 0 are left out.
 */
export function buildVocabulary(
  strings: readonly string[],
  weight: (provisionalId: number) => number,
  options: { minCount: number; reserved: readonly string[]; fallback: number },
): Vocabulary {
  const kept: number[] = [];
  for (let id = 0; id < strings.length; id++) {
    const w = weight(id);
    if (w > 0 && w >= options.minCount) kept.push(id);
  }
  kept.sort((a, b) => weight(b) - weight(a) || compareStrings(strings[a] ?? "", strings[b] ?? ""));
  const remap = new Int32Array(strings.length).fill(options.fallback);
  const out = [...options.reserved];
  for (const id of kept) {
    remap[id] = out.length;
    out.push(strings[id] ?? "");
  }
  return { strings: out, remap };
}

/** Code-unit order, independent of the locale (so hashes match across machines). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
