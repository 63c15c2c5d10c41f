"""Reference input tensors for the image classifiers, prepared with PIL exactly as MODELS.md says.

usage: python3 classifier_input.py <model id> <photo> <out.f32>
Writes the model's float32 input tensor (batch 1, the model's layout) as raw little-endian floats.
PIL's resize filters antialias (support scaled by the reduction); torchvision's Resize + CenterCrop
rounding is reproduced (longer side truncated, crop offsets by Python's round).
"""
import sys

import numpy as np
from PIL import Image, ImageOps

IMAGENET_MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
IMAGENET_STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)


def shorter_then_crop(image, shorter, crop):
    width, height = image.size
    if width <= height:
        size = (shorter, int(shorter * height / width))
    else:
        size = (int(shorter * width / height), shorter)
    resized = image.resize(size, Image.BILINEAR)
    left = int(round((size[0] - crop) / 2.0))
    top = int(round((size[1] - crop) / 2.0))
    return resized.crop((left, top, left + crop, top + crop))


def tensor(model, image):
    if model == "image-classification/mobilenetv2-12-int8":
        pixels = np.asarray(shorter_then_crop(image, 256, 224), dtype=np.float32) / 255.0
        return ((pixels - IMAGENET_MEAN) / IMAGENET_STD).transpose(2, 0, 1)  # NCHW
    if model == "image-classification/mobilenet-v1-0.75-224":
        pixels = np.asarray(shorter_then_crop(image, 256, 224), dtype=np.float32)
        return pixels / 127.5 - 1.0  # NHWC
    if model == "moderation/nsfwjs-mobilenet-v2":
        pixels = np.asarray(image.resize((224, 224), Image.BILINEAR), dtype=np.float32)
        return pixels / 255.0  # NHWC
    raise SystemExit(f"no reference recipe for {model}")


def main():
    model, photo, out = sys.argv[1:4]
    image = ImageOps.exif_transpose(Image.open(photo)).convert("RGB")
    tensor(model, image).astype("<f4").tofile(out)


if __name__ == "__main__":
    main()
