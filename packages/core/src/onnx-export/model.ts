/**
 * An ONNX ModelProto from a plain description: graph inputs and outputs with (partly symbolic) shapes,
 * initializers as little-endian raw_data, nodes with int / float / ints / floats / string attributes, the
 * default-domain opset and the IR version. Field numbers are those of onnx/onnx.proto.
 */
import { littleEndianBytes, ProtoWriter } from "./protobuf.js";

export type ElementType = "float32" | "int64" | "int32";

/** TensorProto.DataType codes. */
const DATA_TYPE: Record<ElementType, number> = { float32: 1, int32: 6, int64: 7 };

export interface ValueInfo {
  name: string;
  type: ElementType;
  /** Numbers for fixed dimensions, names ("batch") for symbolic ones. */
  shape: ReadonlyArray<number | string>;
  doc?: string;
}

export type TensorData = Float32Array | BigInt64Array | Int32Array;

export interface Initializer {
  name: string;
  dims: readonly number[];
  data: TensorData;
}

export type Attribute =
  | { kind: "int"; value: number | bigint }
  | { kind: "float"; value: number }
  | { kind: "ints"; value: ReadonlyArray<number | bigint> }
  | { kind: "floats"; value: readonly number[] }
  | { kind: "string"; value: string };

/** Attribute constructors: `{ axis: attr.int(-1) }`. */
export const attr = {
  int: (value: number | bigint): Attribute => ({ kind: "int", value }),
  float: (value: number): Attribute => ({ kind: "float", value }),
  ints: (value: ReadonlyArray<number | bigint>): Attribute => ({ kind: "ints", value }),
  floats: (value: readonly number[]): Attribute => ({ kind: "floats", value }),
  string: (value: string): Attribute => ({ kind: "string", value }),
};

export interface NodeSpec {
  op: string;
  inputs: readonly string[];
  outputs: readonly string[];
  name?: string;
  attributes?: Readonly<Record<string, Attribute>>;
}

export interface GraphSpec {
  name: string;
  inputs: readonly ValueInfo[];
  outputs: readonly ValueInfo[];
  initializers: readonly Initializer[];
  /** In topological order: a node reads only graph inputs, initializers and earlier nodes' outputs. */
  nodes: readonly NodeSpec[];
  doc?: string;
}

export interface ModelOptions {
  /** Default-domain opset; 17 is well inside what onnxruntime-web 1.30 runs. */
  opset?: number;
  /** 8 is the IR version that goes with opset 17. */
  irVersion?: number;
  producer?: string;
  doc?: string;
  /** Free-form key/value metadata (ModelProto.metadata_props), e.g. the feature spec's digest. */
  metadata?: Readonly<Record<string, string>>;
}

export const DEFAULT_OPSET = 17;
export const DEFAULT_IR_VERSION = 8;

/** AttributeProto.AttributeType codes. */
const ATTRIBUTE_TYPE = { float: 1, int: 2, string: 3, floats: 6, ints: 7 } as const;

function attributeProto(name: string, attribute: Attribute): ProtoWriter {
  const out = new ProtoWriter().string(1, name);
  switch (attribute.kind) {
    case "float":
      out.float(2, attribute.value);
      break;
    case "int":
      out.varint(3, attribute.value);
      break;
    case "string":
      out.string(4, attribute.value);
      break;
    case "floats":
      out.packedFloats(7, attribute.value);
      break;
    case "ints":
      out.packedVarints(8, attribute.value);
      break;
  }
  return out.varint(20, ATTRIBUTE_TYPE[attribute.kind]);
}

function nodeProto(node: NodeSpec): ProtoWriter {
  const out = new ProtoWriter();
  for (const input of node.inputs) out.string(1, input);
  for (const output of node.outputs) out.string(2, output);
  if (node.name !== undefined) out.string(3, node.name);
  out.string(4, node.op);
  for (const [name, attribute] of Object.entries(node.attributes ?? {})) {
    out.message(5, attributeProto(name, attribute));
  }
  return out;
}

function elementTypeOf(data: TensorData): ElementType {
  if (data instanceof Float32Array) return "float32";
  if (data instanceof BigInt64Array) return "int64";
  return "int32";
}

function tensorProto(tensor: Initializer): ProtoWriter {
  const count = tensor.dims.reduce((product, dim) => product * dim, 1);
  if (count !== tensor.data.length) {
    throw new RangeError(
      `initializer ${tensor.name}: dims [${tensor.dims.join(", ")}] hold ${count} values, data has ${tensor.data.length}`,
    );
  }
  const out = new ProtoWriter();
  out.packedVarints(1, tensor.dims);
  out.varint(2, DATA_TYPE[elementTypeOf(tensor.data)]);
  out.string(8, tensor.name);
  return out.bytes(9, littleEndianBytes(tensor.data));
}

function valueInfoProto(value: ValueInfo): ProtoWriter {
  const shape = new ProtoWriter();
  for (const dim of value.shape) {
    const dimension = new ProtoWriter();
    if (typeof dim === "number") dimension.varint(1, dim);
    else dimension.string(2, dim);
    shape.message(1, dimension);
  }
  const tensorType = new ProtoWriter().varint(1, DATA_TYPE[value.type]).message(2, shape);
  const out = new ProtoWriter().string(1, value.name).message(2, new ProtoWriter().message(1, tensorType));
  if (value.doc !== undefined) out.string(3, value.doc);
  return out;
}

/** Every node input and graph output is a graph input, an initializer or an earlier node's output. */
export function checkGraph(graph: GraphSpec): void {
  const known = new Set<string>();
  const define = (name: string, what: string) => {
    if (known.has(name)) throw new Error(`graph ${graph.name}: "${name}" (${what}) is defined twice`);
    known.add(name);
  };
  for (const input of graph.inputs) define(input.name, "input");
  for (const tensor of graph.initializers) define(tensor.name, "initializer");
  for (const node of graph.nodes) {
    for (const input of node.inputs) {
      if (input !== "" && !known.has(input)) {
        throw new Error(`graph ${graph.name}: ${node.op} reads "${input}" before it is defined`);
      }
    }
    for (const output of node.outputs) define(output, `${node.op} output`);
  }
  for (const output of graph.outputs) {
    if (!known.has(output.name))
      throw new Error(`graph ${graph.name}: output "${output.name}" is never made`);
  }
}

function graphProto(graph: GraphSpec): ProtoWriter {
  const out = new ProtoWriter();
  for (const node of graph.nodes) out.message(1, nodeProto(node));
  out.string(2, graph.name);
  for (const tensor of graph.initializers) out.message(5, tensorProto(tensor));
  if (graph.doc !== undefined) out.string(10, graph.doc);
  for (const input of graph.inputs) out.message(11, valueInfoProto(input));
  for (const output of graph.outputs) out.message(12, valueInfoProto(output));
  return out;
}

/** The serialised ModelProto: bytes onnxruntime's InferenceSession.create takes as they are. */
export function encodeModel(graph: GraphSpec, options: ModelOptions = {}): Uint8Array {
  checkGraph(graph);
  const out = new ProtoWriter();
  out.varint(1, options.irVersion ?? DEFAULT_IR_VERSION);
  out.string(2, options.producer ?? "marquee");
  if (options.doc !== undefined) out.string(6, options.doc);
  out.message(7, graphProto(graph));
  out.message(8, new ProtoWriter().string(1, "").varint(2, options.opset ?? DEFAULT_OPSET));
  for (const [key, value] of Object.entries(options.metadata ?? {})) {
    out.message(14, new ProtoWriter().string(1, key).string(2, value));
  }
  return out.finish();
}
