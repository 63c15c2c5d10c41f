import { generationModels } from "./catalog-generation.js";
import { imageModels } from "./catalog-image.js";
import { ocrModels } from "./catalog-ocr.js";
import { textModels } from "./catalog-text.js";
import type { ModelEntry } from "./catalog-types.js";

const ULTRAFACE_REPO = "https://github.com/Linzaer/Ultra-Light-Fast-Generic-Face-Detector-1MB/raw/master";

const ultraFaceContract = {
  inputs: [{ name: "input", type: "float32", shape: [1, 3, 240, 320], description: "RGB, CHW, (x-127)/128" }],
  outputs: [
    { name: "scores", type: "float32", shape: [1, 4420, 2], description: "column 1 = face probability" },
    { name: "boxes", type: "float32", shape: [1, 4420, 4], description: "x1,y1,x2,y2 normalised to [0,1]" },
  ],
  preprocess: {
    width: 320,
    height: 240,
    resize: "stretch",
    filter: "bilinear",
    colour: "rgb",
    layout: "NCHW",
    scale: 1,
    mean: [127, 127, 127],
    std: [128, 128, 128],
  },
  postprocess: { scoreThreshold: 0.7, iouThreshold: 0.3 },
  labels: ["background", "face"],
} as const;

/** Every model the service can run. Weights are never in the repository: `npm run models:pull` fetches them. */
export const catalog: readonly ModelEntry[] = Object.freeze([
  {
    id: "face-detection/ultraface-rfb-320",
    task: "face-detection",
    format: "ultraface",
    version: "1.0.0",
    description: "Ultra-Light-Fast face detector, RFB variant, 320x240 input (default).",
    licence: "MIT",
    source: "Linzaer/Ultra-Light-Fast-Generic-Face-Detector-1MB models/onnx/version-RFB-320.onnx",
    files: [
      {
        name: "model.onnx",
        sha256: "34cd7e60aeff28744c657de7a3dc64e872d506741de66987f3426f2b79f88017",
        bytes: 1270727,
        url: `${ULTRAFACE_REPO}/models/onnx/version-RFB-320.onnx`,
      },
    ],
    ...ultraFaceContract,
  },
  {
    id: "face-detection/ultraface-slim-320",
    task: "face-detection",
    format: "ultraface",
    version: "1.0.0",
    description: "Ultra-Light-Fast face detector, slim variant (faster, slightly less accurate).",
    licence: "MIT",
    source: "Linzaer/Ultra-Light-Fast-Generic-Face-Detector-1MB models/onnx/version-slim-320.onnx",
    files: [
      {
        name: "model.onnx",
        sha256: "e9adbd0f920ddcce9368434c4d34d72520dc0c19b526fd44b4ef49bde2c3b1a8",
        bytes: 1195330,
        url: `${ULTRAFACE_REPO}/models/onnx/version-slim-320.onnx`,
      },
    ],
    ...ultraFaceContract,
  },
  {
    id: "face-detection/ultraface-rfb-640",
    task: "face-detection",
    format: "ultraface",
    version: "1.0.0",
    description:
      "Ultra-Light-Fast face detector, RFB variant, 640x480 input: HD frames and crowds (~4x the cost).",
    licence: "MIT",
    source: "Linzaer/Ultra-Light-Fast-Generic-Face-Detector-1MB models/onnx/version-RFB-640.onnx",
    files: [
      {
        name: "model.onnx",
        sha256: "8f4c659275977e7a3bfbfa339a9c769ad793df50f9c0baa8c14b11baa1646430",
        bytes: 1588012,
        url: `${ULTRAFACE_REPO}/models/onnx/version-RFB-640.onnx`,
      },
    ],
    ...ultraFaceContract,
    inputs: [
      { name: "input", type: "float32", shape: [1, 3, 480, 640], description: "RGB, CHW, (x-127)/128" },
    ],
    outputs: [
      { name: "scores", type: "float32", shape: [1, 17640, 2], description: "column 1 = face probability" },
      {
        name: "boxes",
        type: "float32",
        shape: [1, 17640, 4],
        description: "x1,y1,x2,y2 normalised to [0,1]",
      },
    ],
    preprocess: { ...ultraFaceContract.preprocess, width: 640, height: 480 },
  },
  {
    id: "face-emotion/mini-xception-fer2013",
    task: "face-emotion",
    format: "mini-xception",
    version: "1.0.0",
    description: "mini-Xception trained on FER2013: 7 facial expressions from a 48x48 grey face crop.",
    licence: "MIT",
    source:
      "weights from oarriaga/face_classification; ONNX export from aniruddhkushwaha2005/emotion_detection fer2013_mini_XCEPTION.onnx",
    files: [
      {
        name: "model.onnx",
        sha256: "1bf2dfb9ee0c8df14abf5190dbf3a1f8d564b68a193ae317abc7e0e7f834989d",
        bytes: 234768,
        url: "https://github.com/aniruddhkushwaha2005/emotion_detection/raw/main/fer2013_mini_XCEPTION.onnx",
      },
    ],
    inputs: [
      { name: "input_1", type: "float32", shape: ["N", 48, 48, 1], description: "grey, NHWC, (x/255-0.5)*2" },
    ],
    outputs: [{ name: "predictions", type: "float32", shape: ["N", 7], description: "softmax over labels" }],
    preprocess: {
      width: 48,
      height: 48,
      resize: "stretch",
      filter: "bilinear",
      colour: "grey",
      layout: "NHWC",
      scale: 1 / 255,
      mean: [0.5],
      std: [0.5],
    },
    postprocess: {},
    labels: ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"],
  },
  ...imageModels,
  ...ocrModels,
  ...textModels,
  ...generationModels,
]);

/** Key of a model file in the models bucket and the /tmp cache. */
export function modelFileKey(entry: ModelEntry, fileName: string): string {
  return `models/${entry.id}/${entry.version}/${fileName}`;
}
