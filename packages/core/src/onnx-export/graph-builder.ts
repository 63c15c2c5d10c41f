/**
 * Builds a GraphSpec node by node: each call returns the names of the values it makes, so a graph reads
 * like the computation (`const scores = g.op("MatMul", [user, items])`). Unnamed values get unique names.
 */
import type {
  Attribute,
  ElementType,
  GraphSpec,
  Initializer,
  NodeSpec,
  TensorData,
  ValueInfo,
} from "./model.js";

export class GraphBuilder {
  private readonly inputs: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  private readonly initializers: Initializer[] = [];
  private readonly nodes: NodeSpec[] = [];
  private counter = 0;

  constructor(
    private readonly name: string,
    private readonly doc?: string,
  ) {}

  private fresh(op: string): string {
    this.counter += 1;
    return `${op.toLowerCase()}_${this.counter}`;
  }

  input(name: string, type: ElementType, shape: ReadonlyArray<number | string>, doc?: string): string {
    this.inputs.push({ name, type, shape, ...(doc !== undefined && { doc }) });
    return name;
  }

  /** Declares `value` (made by a node) as a graph output with its type and shape. */
  output(value: string, type: ElementType, shape: ReadonlyArray<number | string>, doc?: string): void {
    this.outputs.push({ name: value, type, shape, ...(doc !== undefined && { doc }) });
  }

  initializer(name: string, data: TensorData, dims: readonly number[]): string {
    this.initializers.push({ name, data, dims });
    return name;
  }

  /** A small constant initializer (axes, k, a scalar) named after what it is for. */
  int64s(name: string, values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.initializer(
      name,
      BigInt64Array.from(values, (value) => BigInt(value)),
      dims,
    );
  }

  floats(name: string, values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.initializer(name, Float32Array.from(values), dims);
  }

  /** A node with several outputs; `outputs` names them (or says how many to name automatically). */
  node(
    op: string,
    inputs: readonly string[],
    attributes: Readonly<Record<string, Attribute>> = {},
    outputs: readonly string[] | number = 1,
  ): string[] {
    const names =
      typeof outputs === "number" ? Array.from({ length: outputs }, () => this.fresh(op)) : [...outputs];
    this.nodes.push({ op, inputs, outputs: names, name: `${op}_${this.nodes.length}`, attributes });
    return names;
  }

  /** A node with one output, optionally named (a graph output's name). */
  op(
    op: string,
    inputs: readonly string[],
    attributes: Readonly<Record<string, Attribute>> = {},
    output?: string,
  ): string {
    return this.node(op, inputs, attributes, output === undefined ? 1 : [output])[0] as string;
  }

  build(): GraphSpec {
    return {
      name: this.name,
      inputs: [...this.inputs],
      outputs: [...this.outputs],
      initializers: [...this.initializers],
      nodes: [...this.nodes],
      ...(this.doc !== undefined && { doc: this.doc }),
    };
  }
}
