// The synthetic shop: categories with list pages and item pages, items whose
// popularity inside a category follows a Zipf law. Pure data, built from a seed.
import type { Rng } from "@drnn/contract";

export interface Shop {
  categories: number;
  /** items[c] = the item ids of category c. */
  items: string[][];
  /** popularity[c][i] = relative weight of items[c][i]. */
  popularity: number[][];
}

export function buildShop(rng: Rng, categories: number, itemsPerCategory: number): Shop {
  const items: string[][] = [];
  const popularity: number[][] = [];
  let next = 1000;
  for (let c = 0; c < categories; c++) {
    items.push(Array.from({ length: itemsPerCategory }, () => String(next++)));
    // Zipf weights, shuffled so the popular item is not always the first id.
    const weights = Array.from({ length: itemsPerCategory }, (_, r) => 1 / (r + 1));
    for (let i = weights.length - 1; i > 0; i--) {
      const j = rng.int(0, i + 1 - 1);
      [weights[i], weights[j]] = [weights[j] ?? 0, weights[i] ?? 0];
    }
    popularity.push(weights);
  }
  return { categories, items, popularity };
}

export const homePage = (): string => "/";
export const listPage = (c: number, page: number): string => (page === 1 ? `/c/${c}` : `/c/${c}?page=${page}`);
export const itemPage = (item: string): string => `/p/${item}`;
