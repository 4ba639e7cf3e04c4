// @drnn/model: the DRNN, its training and fitness rule, metrics, baselines.
export * from "./metrics/index.js";
export { BASELINES, fitBaseline, isBaselineName, SessionView, fitAls, ALS_DEFAULTS, type BaselineName, type BaselineOptions, type AlsOptions } from "./baselines/index.js";
