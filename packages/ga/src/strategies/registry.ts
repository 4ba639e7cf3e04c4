import { elitistStrategy } from "./elitist.js";
import { paperStrategy } from "./paper.js";
import { randomStrategy } from "./random.js";
import type { StrategyName } from "./settings.js";
import type { Strategy } from "./types.js";

export function strategyFor(name: StrategyName): Strategy {
  switch (name) {
    case "paper":
      return paperStrategy;
    case "elitist":
      return elitistStrategy;
    case "random":
      return randomStrategy;
  }
}
