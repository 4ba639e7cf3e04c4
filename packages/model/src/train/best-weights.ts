// The weights of the best validation epoch, kept off the TF.js engine as
// plain typed arrays: nothing to dispose, and safe whatever a kernel does to
// a variable's buffer afterwards.
import * as tf from "@tensorflow/tfjs";

export class BestWeights {
  private values: Float32Array[] | null = null;

  constructor(private readonly variables: readonly tf.Variable[]) {}

  /** Copies the current values of every variable (read asynchronously: WebGPU cannot read synchronously in Node). */
  async keep(): Promise<void> {
    this.values = await Promise.all(this.variables.map(async (v) => ((await v.data()) as Float32Array).slice()));
  }

  /** Writes the kept values back; a no-op when nothing was kept. */
  restore(): void {
    const values = this.values;
    if (values === null) return;
    this.variables.forEach((v, i) => {
      const kept = values[i];
      if (kept === undefined) return;
      const t = tf.tensor(kept, v.shape, v.dtype);
      v.assign(t);
      t.dispose();
    });
  }
}
