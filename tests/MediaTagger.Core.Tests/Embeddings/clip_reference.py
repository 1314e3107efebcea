#!/usr/bin/python3
"""Independent reference for CLIP preprocessing: Hugging Face CLIPImageProcessor's recipe (convert_rgb, resize the
shortest edge with PIL, centre crop, rescale, normalise), written here with Pillow and numpy only.

usage: clip_reference.py OUT_DIR SHORTEST_EDGE CROP RESAMPLE MEAN(3, comma) STD(3, comma) IMAGE...
Writes OUT_DIR/<i>.f32: the 3 x CROP x CROP tensor (float32, little-endian, channels first) of the i-th image."""
import os
import sys

import numpy as np
from PIL import Image


def preprocess(path, shortest_edge, crop, resample, mean, std):
    image = Image.open(path)
    if image.mode != "RGB":  # transformers.image_transforms.convert_rgb
        image = image.convert("RGB")
    # transformers.image_transforms.get_resize_output_image_size(default_to_square=False)
    width, height = image.size
    short, long = (width, height) if width <= height else (height, width)
    new_short, new_long = shortest_edge, int(shortest_edge * long / short)
    new_height, new_width = (new_long, new_short) if width <= height else (new_short, new_long)
    # transformers.image_transforms.resize: a PIL resize of the uint8 image, reducing_gap None
    pixels = np.array(image.resize((new_width, new_height), resample=resample))
    # transformers.image_transforms.center_crop
    top = (pixels.shape[0] - crop) // 2
    left = (pixels.shape[1] - crop) // 2
    pixels = pixels[top:top + crop, left:left + crop]
    # rescale (computed in float64, stored as float32), then normalise in float32
    scaled = (pixels.astype(np.float64) * (1 / 255)).astype(np.float32)
    normalised = (scaled - np.array(mean, dtype=np.float32)) / np.array(std, dtype=np.float32)
    return np.ascontiguousarray(normalised.transpose(2, 0, 1), dtype="<f4")


def main():
    out_dir, shortest_edge, crop, resample = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    mean = [float(x) for x in sys.argv[5].split(",")]
    std = [float(x) for x in sys.argv[6].split(",")]
    for i, path in enumerate(sys.argv[7:]):
        preprocess(path, shortest_edge, crop, resample, mean, std).tofile(os.path.join(out_dir, f"{i}.f32"))


if __name__ == "__main__":
    main()
