// A sandboxed processor for the queue tests: runs on a worker thread, reports
// one epoch of progress and returns a result shaped like a fitness result.
export default async function processor(job) {
  await job.updateProgress({ kind: "epoch", epoch: 1, trainLoss: 1.5, valLoss: 1.25, valAccuracy: 0.5, seconds: 0.01 });
  return {
    fitness: 0.5 + 1 / (1 + 1.25),
    accuracy: 0.5,
    loss: 1.25,
    converged: true,
    epochs: 1,
    backend: "test",
    device: `thread:${job.data.hash}`,
    trainSeconds: 0.01,
    samplesPerSecond: 100,
    reason: null,
  };
}
