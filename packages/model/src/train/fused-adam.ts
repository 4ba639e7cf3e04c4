// Adam with one fused kernel per weight (DrnnAdam: the new weight and both
// moments in one pass) where the backend has it, instead of the ~14 kernels
// per weight of tf.train.adam; makeOptimizer picks tf.train.adam elsewhere.
// Same arithmetic as TF.js's AdamOptimizer (bias corrections in float64 here,
// so weights agree to float rounding), and the same getWeights layout:
// the iteration count, then every first moment, then every second moment.
import * as tf from "@tensorflow/tfjs";
import { FUSED_ADAM, type AdamHyper } from "../kernels/index.js";

/** TF.js's NamedTensor, which the package index does not re-export. */
interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

interface Slot {
  name: string;
  m: tf.Tensor;
  v: tf.Tensor;
}

export class FusedAdamOptimizer extends tf.Optimizer {
  static get className(): string {
    return "Adam";
  }

  private readonly slots = new Map<string, Slot>();
  private step = 0;

  constructor(
    public learningRate: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly epsilon = tf.backend().epsilon(),
  ) {
    super();
  }

  private slot(name: string, like: tf.Tensor): Slot {
    let s = this.slots.get(name);
    if (s === undefined) {
      s = { name, m: tf.keep(tf.zerosLike(like)), v: tf.keep(tf.zerosLike(like)) };
      this.slots.set(name, s);
    }
    return s;
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const pairs = Array.isArray(variableGradients) ? variableGradients.map((g) => [g.name, g.tensor] as const) : Object.entries(variableGradients);
    this.step += 1;
    const hyper: AdamHyper = {
      lr: this.learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      c1: 1 / (1 - this.beta1 ** this.step),
      c2: 1 / (1 - this.beta2 ** this.step),
    };
    for (const [name, gradient] of pairs) {
      const value = tf.engine().registeredVariables[name];
      if (value === undefined || gradient === undefined) continue;
      const s = this.slot(name, value);
      const [w2, m2, v2] = tf.engine().runKernel(FUSED_ADAM, { w: value, g: gradient, m: s.m, v: s.v }, hyper as unknown as tf.NamedAttrMap) as [tf.Tensor, tf.Tensor, tf.Tensor];
      value.assign(w2);
      w2.dispose();
      s.m.dispose();
      s.v.dispose();
      s.m = tf.keep(m2);
      s.v = tf.keep(v2);
    }
    this.incrementIterations();
  }

  override dispose(): void {
    for (const s of this.slots.values()) tf.dispose([s.m, s.v]);
    this.slots.clear();
  }

  override async getWeights(): Promise<NamedTensor[]> {
    const slots = [...this.slots.values()];
    return [
      await this.saveIterations(),
      ...slots.map((s) => ({ name: `${s.name}/m`, tensor: s.m })),
      ...slots.map((s) => ({ name: `${s.name}/v`, tensor: s.v })),
    ];
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    this.step = this.iterations;
    const half = rest.length / 2;
    this.dispose();
    rest.slice(0, half).forEach((m, i) => {
      const v = rest[half + i];
      if (v === undefined) return;
      const name = m.name.replace(/\/m$/, "");
      this.slots.set(name, { name, m: tf.keep(tf.clone(m.tensor)), v: tf.keep(tf.clone(v.tensor)) });
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
