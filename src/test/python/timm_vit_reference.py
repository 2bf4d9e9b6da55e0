"""A small ViT in timm's naming, independent of munet, for RootCheckpointParityTest.

Builds a pre-LN ViT (LayerNorm eps 1e-6, exact GELU, class token, learned position embedding) whose
modules are named as timm's VisionTransformer names them, with seeded random weights and nonzero
biases; saves its state_dict as safetensors (written with numpy: there is no safetensors package
here) and the same weights as a vit_jax .npz (flax names and layouts); and computes the features
munet's root computes before its head (the final norm's class-token output) on the images given,
at the checkpoint's own image size and, with the position embedding resampled as vit_jax does
(class token row kept, grid zoomed with corner-aligned linear interpolation), at a second size.

usage: timm_vit_reference.py IMAGES_NPZ OUT_DIR   (IMAGES_NPZ holds images_<size> arrays, N x 3 x S x S)
Run with Debian's /usr/bin/python3 (python3-torch, python3-numpy; deploy/test-setup.sh installs them).
"""
import json
import math
import os
import struct
import sys

import numpy as np
import torch
from torch import nn

WIDTH, HEADS, MLP, BLOCKS, PATCH, CHANNELS, IMAGE, CLASSES = 64, 4, 128, 2, 7, 3, 28, 10


class PatchEmbed(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = nn.Conv2d(CHANNELS, WIDTH, PATCH, stride=PATCH)

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.qkv = nn.Linear(WIDTH, 3 * WIDTH)
        self.proj = nn.Linear(WIDTH, WIDTH)

    def forward(self, x):
        b, n, c = x.shape
        qkv = self.qkv(x).reshape(b, n, 3, HEADS, c // HEADS).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        attn = (q @ k.transpose(-2, -1)) * (c // HEADS) ** -0.5
        return self.proj((attn.softmax(dim=-1) @ v).transpose(1, 2).reshape(b, n, c))


class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(WIDTH, MLP)
        self.act = nn.GELU()  # exact erf form
        self.fc2 = nn.Linear(MLP, WIDTH)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.LayerNorm(WIDTH, eps=1e-6)
        self.attn = Attention()
        self.norm2 = nn.LayerNorm(WIDTH, eps=1e-6)
        self.mlp = Mlp()

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class VisionTransformer(nn.Module):
    def __init__(self):
        super().__init__()
        grid = IMAGE // PATCH
        self.cls_token = nn.Parameter(torch.zeros(1, 1, WIDTH))
        self.pos_embed = nn.Parameter(torch.zeros(1, 1 + grid * grid, WIDTH))
        self.patch_embed = PatchEmbed()
        self.blocks = nn.ModuleList([Block() for _ in range(BLOCKS)])
        self.norm = nn.LayerNorm(WIDTH, eps=1e-6)
        self.head = nn.Linear(WIDTH, CLASSES)

    def features(self, x, pos_embed):
        x = self.patch_embed(x)
        x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], dim=1) + pos_embed
        for block in self.blocks:
            x = block(x)
        return self.norm(x)[:, 0]


def randomize(model, seed):
    """Seeded weights with nonzero biases and non-trivial LayerNorms, so every mapping is exercised."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            r = torch.randn(p.shape, generator=g)
            if "norm" in name and name.endswith("weight"):
                p.copy_(1 + 0.1 * r)
            elif p.dim() >= 2 and name not in ("cls_token", "pos_embed"):
                p.copy_(r / math.sqrt(p[0].numel()))
            else:
                p.copy_(0.1 * r if name.endswith("bias") else 0.5 * r)


def save_safetensors(path, tensors):
    header, offset, blobs = {}, 0, []
    for key, value in tensors.items():
        data = np.ascontiguousarray(value, dtype="<f4").tobytes()
        header[key] = {"dtype": "F32", "shape": list(value.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def vit_jax_tree(sd):
    """The same weights under vit_jax's flax names and layouts."""
    t = {
        "cls": sd["cls_token"],
        "embedding/kernel": sd["patch_embed.proj.weight"].transpose(2, 3, 1, 0),  # OIHW -> HWIO
        "embedding/bias": sd["patch_embed.proj.bias"],
        "Transformer/posembed_input/pos_embedding": sd["pos_embed"],
        "Transformer/encoder_norm/scale": sd["norm.weight"],
        "Transformer/encoder_norm/bias": sd["norm.bias"],
        "head/kernel": sd["head.weight"].T,
        "head/bias": sd["head.bias"],
    }
    hd = WIDTH // HEADS
    for i in range(BLOCKS):
        b, k = f"blocks.{i}.", f"Transformer/encoderblock_{i}/"
        a = k + "MultiHeadDotProductAttention_1/"
        qkv_w, qkv_b = sd[b + "attn.qkv.weight"], sd[b + "attn.qkv.bias"]
        for j, name in enumerate(["query", "key", "value"]):
            w = qkv_w[j * WIDTH:(j + 1) * WIDTH]  # (out, in)
            t[a + name + "/kernel"] = w.T.reshape(WIDTH, HEADS, hd)
            t[a + name + "/bias"] = qkv_b[j * WIDTH:(j + 1) * WIDTH].reshape(HEADS, hd)
        t[a + "out/kernel"] = sd[b + "attn.proj.weight"].T.reshape(HEADS, hd, WIDTH)
        t[a + "out/bias"] = sd[b + "attn.proj.bias"]
        t[k + "LayerNorm_0/scale"], t[k + "LayerNorm_0/bias"] = sd[b + "norm1.weight"], sd[b + "norm1.bias"]
        t[k + "LayerNorm_2/scale"], t[k + "LayerNorm_2/bias"] = sd[b + "norm2.weight"], sd[b + "norm2.bias"]
        t[k + "MlpBlock_3/Dense_0/kernel"] = sd[b + "mlp.fc1.weight"].T
        t[k + "MlpBlock_3/Dense_0/bias"] = sd[b + "mlp.fc1.bias"]
        t[k + "MlpBlock_3/Dense_1/kernel"] = sd[b + "mlp.fc2.weight"].T
        t[k + "MlpBlock_3/Dense_1/bias"] = sd[b + "mlp.fc2.bias"]
    return {key: np.ascontiguousarray(v, dtype=np.float32) for key, v in t.items()}


def zoom_linear(grid, out):
    """scipy.ndimage.zoom(grid, (out/in, out/in, 1), order=1): output o samples input o*(in-1)/(out-1)."""
    for axis in (0, 1):
        n = grid.shape[axis]
        coords = np.arange(out) * ((n - 1) / (out - 1)) if out > 1 else np.zeros(1)
        lo = np.minimum(np.floor(coords).astype(int), max(n - 2, 0))
        hi = np.minimum(lo + 1, n - 1)
        w = (coords - lo) if n > 1 else np.zeros(out)
        shape = [1, 1, 1]
        shape[axis] = out
        w = w.reshape(shape)
        grid = np.take(grid, lo, axis=axis) * (1 - w) + np.take(grid, hi, axis=axis) * w
    return grid


def resize_posemb(posemb, grid_out):
    """vit_jax's checkpoint.resize_posemb: keep the class token's row, zoom the grid."""
    tok, grid = posemb[:, :1], posemb[0, 1:]
    g = int(math.isqrt(grid.shape[0]))
    zoomed = zoom_linear(grid.reshape(g, g, -1).astype(np.float64), grid_out)
    return np.concatenate([tok, zoomed.reshape(1, grid_out * grid_out, -1).astype(np.float32)], axis=1)


def main():
    images_file, out = sys.argv[1], sys.argv[2]
    torch.set_num_threads(1)
    model = VisionTransformer().eval()
    randomize(model, seed=1234)
    sd = {k: v.detach().numpy().astype(np.float32) for k, v in model.state_dict().items()}
    save_safetensors(os.path.join(out, "timm.safetensors"), sd)
    np.savez(os.path.join(out, "vit.npz"), **vit_jax_tree(sd))
    images = np.load(images_file)
    features = {}
    with torch.no_grad():
        for name in images.files:
            x = torch.from_numpy(images[name].astype(np.float32))
            size = x.shape[-1]
            pos = resize_posemb(sd["pos_embed"], size // PATCH)
            features[name.replace("images", "features")] = model.features(x, torch.from_numpy(pos)).numpy()
    np.savez(os.path.join(out, "features.npz"), **features)
    print("timm_vit_reference: wrote", sorted(features), "for", {n: images[n].shape for n in images.files})


if __name__ == "__main__":
    main()
