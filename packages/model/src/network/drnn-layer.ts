// The DRNN as one TF.js custom layer holding every shared weight, so the model
// is a standard LayersModel: saved as model.json + weights.bin and loaded with
// tf.loadLayersModel once registerDrnnLayers() has run.
import * as tf from "@tensorflow/tfjs";
import type { ModelDims, ModelSpec } from "../spec.js";
import { drnnForward } from "./forward.js";
import { inputLayout, unpackInputs, type InputSlot } from "./inputs.js";
import { weightsByRole, weightTable, type DrnnWeights } from "./weights.js";

export interface DrnnLayerConfig {
  name?: string;
  spec: ModelSpec;
  dims: ModelDims;
}

export class DrnnLayer extends tf.layers.Layer {
  static readonly className = "DrnnLayer";
  readonly spec: ModelSpec;
  readonly dims: ModelDims;
  readonly layout: InputSlot[];
  private readonly vars = new Map<string, tf.LayerVariable>();

  constructor(config: DrnnLayerConfig) {
    super(config.name === undefined ? {} : { name: config.name });
    this.spec = config.spec;
    this.dims = config.dims;
    this.layout = inputLayout(config.spec, config.dims);
  }

  override build(): void {
    for (const entry of weightTable(this.spec, this.dims)) {
      this.vars.set(entry.name, this.addWeight(entry.name, entry.shape, "float32", tf.initializers.zeros()));
    }
    this.built = true;
  }

  override computeOutputShape(): tf.Shape {
    return [null, this.spec.window, this.dims.items];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    return tf.tidy(() => drnnForward(this.roles(), unpackInputs(list, this.layout), this.spec, this.dims, { training: kwargs.training === true }));
  }

  override getConfig(): tf.serialization.ConfigDict {
    const own = { spec: this.spec, dims: this.dims } as unknown as tf.serialization.ConfigDict;
    return { ...super.getConfig(), ...own };
  }

  /** The weights by role, read from the layer's variables. */
  roles(): DrnnWeights {
    return weightsByRole(this.spec, (name) => this.variable(name).read());
  }

  variable(name: string): tf.LayerVariable {
    const v = this.vars.get(name);
    if (v === undefined) throw new Error(`DrnnLayer has no weight '${name}'`);
    return v;
  }

  /** The trainable tf.Variables, for an optimizer. */
  trainables(): tf.Variable[] {
    return [...this.vars.values()].map((v) => v.read() as tf.Variable);
  }
}

/** Lets tf.loadLayersModel rebuild DrnnLayer; safe to call more than once. */
export function registerDrnnLayers(): void {
  tf.serialization.registerClass(DrnnLayer);
}
