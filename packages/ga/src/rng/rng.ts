// The platform's one seeded generator lives in @drnn/contract; the GA draws
// every random choice from an instance passed in.
export { Rng, InvalidRngStateError, type RngState } from "@drnn/contract";
