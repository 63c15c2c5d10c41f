import type { ModelEntry } from "./catalog-types.js";

const ZOO = "https://github.com/onnx/models/raw/main/validated/vision/classification/mobilenet/model";

/** ImageNet-1k names, one per class in output order (`<wnid> <name>` lines); from a model mirror. */
const imagenetLabels = {
  name: "labels.txt",
  sha256: "285f9416f8948b924c12f5fae27dc50b5fbd3dd7f71c61d1777c7583fb728edf",
  bytes: 20473,
  url: undefined,
} as const;

/** Shorter side to 256 (bilinear, antialiased), then the centre 224 × 224, RGB. */
const imagenetCrop = {
  width: 224,
  height: 224,
  resize: "crop",
  shorter: 256,
  filter: "bilinear",
  colour: "rgb",
} as const;

const imagenet = (name: string, shape: readonly (number | string)[], description: string) =>
  [{ name, type: "float32", shape, description }] as const;

/**
 * Image classifiers (frame labels) and moderation models. Recipes (media/recipe.ts) are MODELS.md's;
 * `postprocess.output` says whether the graph ends in logits (softmax applied here) or probabilities.
 * Labels come from each model's `labels.txt`.
 */
export const imageModels: readonly ModelEntry[] = [
  {
    id: "image-classification/mobilenetv2-12-int8",
    task: "image-classification",
    format: "image-classifier",
    version: "1.0.0",
    description:
      "MobileNetV2 1.0, ImageNet-1k, int8 quantised (QLinear ops). Top-1 agreement with the float model: see README.",
    licence: "Apache-2.0 (ONNX Model Zoo)",
    source: "ONNX Model Zoo validated/vision/classification/mobilenet mobilenetv2-12-int8.onnx",
    files: [
      {
        name: "model.onnx",
        sha256: "83530ad811bc31d2b60a5599a21265a5057608c9b044b4ee758cc22f2309f54f",
        bytes: 3655640,
        url: `${ZOO}/mobilenetv2-12-int8.onnx`,
      },
      imagenetLabels,
    ],
    inputs: imagenet("input", ["N", 3, 224, 224], "RGB, NCHW, ImageNet mean/std"),
    outputs: imagenet("output", ["N", 1000], "logits"),
    preprocess: {
      ...imagenetCrop,
      layout: "NCHW",
      scale: 1 / 255,
      mean: [0.485, 0.456, 0.406],
      std: [0.229, 0.224, 0.225],
    },
    postprocess: { output: "logits", labelsFile: "labels.txt" },
    labels: [],
  },
  {
    id: "image-classification/mobilenet-v1-0.75-224",
    task: "image-classification",
    format: "image-classifier",
    version: "1.0.0",
    description: "MobileNet v1 0.75 (Keras weights), ImageNet-1k, float32, NHWC.",
    licence: "Apache-2.0 (Keras MobileNet weights; converted from the TF.js layers model)",
    source:
      "tfjs-models mobilenet_v1_0.75_224, converted to ONNX (verified to 3.5e-6 of TF.js); from a model mirror",
    files: [
      {
        name: "model.onnx",
        sha256: "b1ad4f73d4f47da5f6f31ab5e585d542196bf25d79908fa6eadb1528a1f2b4fe",
        bytes: 10323140,
        url: undefined,
      },
      imagenetLabels,
    ],
    inputs: imagenet("input", ["N", 224, 224, 3], "RGB, NHWC, x/127.5 − 1"),
    outputs: imagenet("probabilities", ["N", 1000], "softmax"),
    preprocess: { ...imagenetCrop, layout: "NHWC", scale: 1, mean: [127.5], std: [127.5] },
    postprocess: { output: "probabilities", labelsFile: "labels.txt" },
    labels: [],
  },
  {
    id: "moderation/nsfwjs-mobilenet-v2",
    task: "moderation",
    format: "image-classifier",
    version: "1.0.0",
    description: "NSFWJS MobileNetV2: Drawing, Hentai, Neutral, Porn, Sexy.",
    licence: "MIT (nsfwjs 4.3.0)",
    source:
      "npm nsfwjs@4.3.0 dist/models/mobilenet_v2, converted from TF.js (verified to 4.2e-7); from a model mirror",
    files: [
      {
        name: "model.onnx",
        sha256: "ac644cadb670e87e9a2935da91bdc9e5dbb4deb56aa2e4a7798d0d78b4f58b76",
        bytes: 10299813,
        url: undefined,
      },
      {
        name: "labels.txt",
        sha256: "75f6f88078a092fc1c2b476da3ced0f131c803cb5eccdc6924f90ecbc73150e2",
        bytes: 33,
        url: undefined,
      },
    ],
    inputs: imagenet("input", ["N", 224, 224, 3], "RGB, NHWC, x/255, stretched"),
    outputs: imagenet("probabilities", ["N", 5], "softmax in labels.txt order"),
    preprocess: {
      width: 224,
      height: 224,
      resize: "stretch",
      filter: "bilinear",
      colour: "rgb",
      layout: "NHWC",
      scale: 1 / 255,
      mean: [0],
      std: [1],
    },
    postprocess: { output: "probabilities", labelsFile: "labels.txt" },
    labels: [],
  },
];
