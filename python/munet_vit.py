"""Reference PyTorch loader for models exported with ``munet export``.

An export directory holds ``config.json`` (architecture, classes, preprocessing, provenance) and
``model.safetensors`` (float32 weights under timm VisionTransformer key names, plus
``adapters.{i}.{norm,down,up}`` for munet's residual adapters). This module needs only PyTorch and
NumPy (no safetensors or timm package): it runs under Debian's ``/usr/bin/python3`` with
``python3-torch`` and ``python3-numpy`` (deploy/test-setup.sh installs them).

As a library::

    import numpy as np
    from munet_vit import load_export, preprocess
    model, config = load_export("exports/mnist")          # eval mode, strict key check
    x = preprocess(np.asarray(pil_image), config)          # (1, C, S, S) float32 in [-1, 1]
    logits = model(x)                                      # (1, num_classes)
    print(config["class_names"][int(logits.argmax(1))])

From the command line::

    /usr/bin/python3 python/munet_vit.py EXPORT_DIR --images FILE.npy --logits-out OUT.npy

``FILE.npy`` holds either float32 images already preprocessed, shape (N, C, S, S), or uint8
images, shape (N, H, W) or (N, H, W, C), which are preprocessed here as munet does.
``OUT.npy`` receives float32 logits, shape (N, num_classes). Set ``OMP_NUM_THREADS`` to limit
threads.
"""

import argparse
import hashlib
import json
import math
import os
import struct
import sys
import urllib.parse

import numpy as np
import torch
from torch import nn

FORMAT = "munet-vit-export"
FORMAT_VERSION = 1
CONFIG_FILE = "config.json"
WEIGHTS_FILE = "model.safetensors"

_DTYPES = {"F32": np.float32, "F16": np.float16, "F64": np.float64, "I64": np.int64,
           "I32": np.int32, "U8": np.uint8}
_NAMES = {np.dtype(v): k for k, v in _DTYPES.items()}


# ---------------------------------------------------------------------------------------------
# safetensors with NumPy: 8-byte little-endian header length, JSON header, raw little-endian data


def read_safetensors(path):
    """Reads a safetensors file into a dict of name -> np.ndarray (little-endian, C order)."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ValueError(f"{path}: not a safetensors file (shorter than its 8-byte header length)")
    (n,) = struct.unpack("<Q", data[:8])
    if n > len(data) - 8:
        raise ValueError(f"{path}: header length {n} exceeds the file ({len(data)} bytes); truncated?")
    header = json.loads(data[8:8 + n].decode("utf-8"))
    header.pop("__metadata__", None)
    body = memoryview(data)[8 + n:]
    out = {}
    for name, info in header.items():
        if info["dtype"] == "BF16":
            begin, end = info["data_offsets"]
            raw = np.frombuffer(body[begin:end], dtype="<u2").astype(np.uint32) << 16
            out[name] = raw.view(np.float32).reshape(info["shape"])
            continue
        if info["dtype"] not in _DTYPES:
            raise ValueError(f"{path}: {name} has unsupported dtype {info['dtype']}")
        dtype = np.dtype(_DTYPES[info["dtype"]]).newbyteorder("<")
        begin, end = info["data_offsets"]
        count = int(np.prod(info["shape"], dtype=np.int64))
        if end - begin != count * dtype.itemsize or end > len(body):
            raise ValueError(f"{path}: {name}'s data_offsets [{begin}, {end}) do not hold "
                             f"{count} {info['dtype']} values; truncated?")
        out[name] = np.frombuffer(body[begin:end], dtype=dtype).reshape(info["shape"]).copy()
    return out


def write_safetensors(path, tensors, metadata=None):
    """Writes a dict of name -> array (numpy or torch) as safetensors, in the dict's order."""
    header = {}
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    arrays = []
    offset = 0
    for name, value in tensors.items():
        a = value.detach().cpu().numpy() if isinstance(value, torch.Tensor) else np.asarray(value)
        a = np.ascontiguousarray(a, dtype=a.dtype.newbyteorder("<"))
        if a.dtype.newbyteorder("=") not in _NAMES:
            raise ValueError(f"{name}: dtype {a.dtype} is not supported")
        header[name] = {"dtype": _NAMES[a.dtype.newbyteorder("=")], "shape": list(a.shape),
                        "data_offsets": [offset, offset + a.nbytes]}
        offset += a.nbytes
        arrays.append(a)
    raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw += b" " * (-len(raw) % 8)  # the format pads the header to 8 bytes with spaces
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for a in arrays:
            f.write(a.tobytes())


# ---------------------------------------------------------------------------------------------
# The model, in timm's VisionTransformer layout so that the export's keys load strictly


class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)  # rows q | k | v, each split into heads
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        b, n, d = x.shape
        hd = d // self.heads
        qkv = self.qkv(x).reshape(b, n, 3, self.heads, hd).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0] * (1.0 / math.sqrt(hd)), qkv[1], qkv[2]
        attn = (q @ k.transpose(-2, -1)).softmax(dim=-1)
        return self.proj((attn @ v).transpose(1, 2).reshape(b, n, d))


class Mlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.act = nn.GELU()  # exact (erf) GELU, as munet computes it
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class Block(nn.Module):
    """Pre-LN encoder block: x + attn(norm1(x)), then + mlp(norm2(x)); no dropout."""

    def __init__(self, dim, heads, mlp_dim, eps):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=eps)
        self.attn = Attention(dim, heads)
        self.norm2 = nn.LayerNorm(dim, eps=eps)
        self.mlp = Mlp(dim, mlp_dim)

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class Adapter(nn.Module):
    """munet's residual adapter, run before the block of its layer: x + up(gelu(down(norm(x))))."""

    def __init__(self, dim, adapter_dim, eps):
        super().__init__()
        self.norm = nn.LayerNorm(dim, eps=eps)
        self.down = nn.Linear(dim, adapter_dim)
        self.act = nn.GELU()
        self.up = nn.Linear(adapter_dim, dim)

    def forward(self, x):
        return x + self.up(self.act(self.down(self.norm(x))))


class PatchEmbed(nn.Module):
    def __init__(self, channels, dim, patch):
        super().__init__()
        self.proj = nn.Conv2d(channels, dim, kernel_size=patch, stride=patch)

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)  # (B, N, D), patches row by row


class MunetViT(nn.Module):
    """A munet path: patch embedding, class token, position embedding, per layer an optional
    adapter then a block, final LayerNorm, linear head on the class token."""

    def __init__(self, config):
        super().__init__()
        c = config
        d = c["hidden_size"]
        eps = float(c["layer_norm_eps"])
        self.image_size = c["image_size"]
        self.channels = c["channels"]
        self.patch_embed = PatchEmbed(c["channels"], d, c["patch_size"])
        tokens = (c["image_size"] // c["patch_size"]) ** 2 + 1
        self.cls_token = nn.Parameter(torch.zeros(1, 1, d))
        self.pos_embed = nn.Parameter(torch.zeros(1, tokens, d))
        self.blocks = nn.ModuleList(
            Block(d, c["num_heads"], c["mlp_dim"], eps) for _ in range(c["num_layers"]))
        # Keyed by layer, so the state-dict keys are adapters.<layer>.* whichever layers have one.
        self.adapters = nn.ModuleDict(
            {str(i): Adapter(d, c["adapter_dim"], eps) for i in c["adapter_layers"]})
        self.norm = nn.LayerNorm(d, eps=eps)
        self.head = nn.Linear(d, c["num_classes"])

    def forward(self, x):
        if x.dim() != 4 or x.shape[1] != self.channels or x.shape[2] != self.image_size \
                or x.shape[3] != self.image_size:
            raise ValueError(f"expected (B, {self.channels}, {self.image_size}, {self.image_size}) "
                             f"images (use preprocess()), got {tuple(x.shape)}")
        x = self.patch_embed(x)
        x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], dim=1) + self.pos_embed
        for i, block in enumerate(self.blocks):
            if str(i) in self.adapters:
                x = self.adapters[str(i)](x)
            x = block(x)
        return self.head(self.norm(x)[:, 0])


def load_export(directory):
    """Loads an export directory (a local path; file: URIs as munet prints them are accepted):
    returns (model in eval mode, config dict)."""
    if directory.startswith("file:"):
        directory = urllib.parse.unquote(urllib.parse.urlparse(directory).path)
    config_path = os.path.join(directory, CONFIG_FILE)
    if not os.path.isfile(config_path):
        raise FileNotFoundError(f"{directory} has no {CONFIG_FILE}: not a munet export, or one that did "
                                f"not finish (config.json is written last); export again")
    with open(config_path, encoding="utf-8") as f:
        config = json.load(f)
    if config.get("format") != FORMAT:
        raise ValueError(f"{config_path}: format {config.get('format')!r} is not {FORMAT!r}")
    if config.get("format_version", 0) > FORMAT_VERSION:
        raise ValueError(f"{config_path}: format_version {config['format_version']} is newer than "
                         f"this loader ({FORMAT_VERSION}); use the munet_vit.py of that munet")
    weights_path = os.path.join(directory, config.get("weights", WEIGHTS_FILE))
    expected = config.get("weights_sha256")
    if expected:
        with open(weights_path, "rb") as f:
            actual = hashlib.sha256(f.read()).hexdigest()
        if actual != expected.lower():
            raise ValueError(f"{weights_path} has SHA-256 {actual}, config.json's weights_sha256 says "
                             f"{expected}: the weights were changed or damaged after export")
    model = MunetViT(config)
    weights = read_safetensors(weights_path)
    model.load_state_dict({k: torch.from_numpy(v) for k, v in weights.items()}, strict=True)
    return model.eval(), config


# ---------------------------------------------------------------------------------------------
# Preprocessing, as munet evaluates (org.munet.data.Preprocessor without augmentation), in float32

_LUMA = (np.float32(0.299), np.float32(0.587), np.float32(0.114))


def _resize_weights(n_in, n_out):
    """tf.image.resize bilinear, half-pixel centres: low index, high index, weight of high."""
    scale = np.float32(n_in) / np.float32(n_out)
    pos = (np.arange(n_out, dtype=np.float32) + np.float32(0.5)) * scale - np.float32(0.5)
    floor = np.floor(pos)
    lo = np.maximum(floor.astype(np.int64), 0)
    hi = np.minimum(np.ceil(pos).astype(np.int64), n_in - 1)
    return lo, hi, (pos - floor).astype(np.float32)


def _resize_plane(plane, size):
    """(H, W) float32 to (size, size): columns first, then rows, as munet does."""
    xlo, xhi, xw = _resize_weights(plane.shape[1], size)
    left = plane[:, xlo]
    rows = left + (plane[:, xhi] - left) * xw
    ylo, yhi, yw = _resize_weights(plane.shape[0], size)
    top = rows[ylo, :]
    return top + (rows[yhi, :] - top) * yw[:, None]


def preprocess(image, config):
    """One uint8 image, (H, W) or (H, W, C) with C in {1, 3}, to a (1, channels, S, S) tensor:
    x/127.5 - 1, bilinear half-pixel resize to image_size, clip to [-1, 1], then grayscale tiled
    to 3 channels or RGB to ITU-R 601 luma when the model's channel count differs."""
    a = np.asarray(image)
    if a.dtype != np.uint8:
        raise ValueError(f"expected uint8 pixels, got {a.dtype}")
    if a.ndim == 2:
        a = a[:, :, None]
    if a.ndim != 3 or a.shape[2] not in (1, 3):
        raise ValueError(f"expected an (H, W), (H, W, 1) or (H, W, 3) image, got shape {a.shape}")
    size, want = config["image_size"], config["channels"]
    scaled = a.astype(np.float32) / np.float32(127.5) - np.float32(1)
    planes = [np.clip(_resize_plane(scaled[:, :, ch], size), -1, 1) for ch in range(a.shape[2])]
    if len(planes) == want:
        out = np.stack(planes)
    elif len(planes) == 1 and want == 3:
        out = np.stack(planes * 3)
    elif len(planes) == 3 and want == 1:
        luma = _LUMA[0] * planes[0] + _LUMA[1] * planes[1] + _LUMA[2] * planes[2]
        out = np.clip(luma, -1, 1)[None]
    else:
        raise ValueError(f"cannot make {want} channels from {len(planes)}")
    return torch.from_numpy(np.ascontiguousarray(out, dtype=np.float32))[None]


def predict_logits(model, config, images, batch_size=256):
    """Logits (N, num_classes) for float32 (N, C, S, S) preprocessed images or uint8 images."""
    images = np.asarray(images)
    if images.dtype == np.uint8:
        batch = torch.cat([preprocess(im, config) for im in images]) if len(images) else None
    elif images.dtype == np.float32 and images.ndim == 4:
        batch = torch.from_numpy(np.ascontiguousarray(images))
    else:
        raise ValueError(f"expected float32 (N, C, S, S) or uint8 (N, H, W[, C]) images, got "
                         f"{images.dtype} {images.shape}")
    out = []
    with torch.no_grad():
        for i in range(0, len(images), batch_size):
            out.append(model(batch[i:i + batch_size]).numpy())
    return np.concatenate(out) if out else np.zeros((0, config["num_classes"]), np.float32)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("export_dir", help="directory written by 'munet export'")
    parser.add_argument("--images", required=True,
                        help=".npy of float32 (N, C, S, S) preprocessed or uint8 (N, H, W[, C]) images")
    parser.add_argument("--logits-out", required=True, help=".npy to write float32 (N, classes) logits to")
    args = parser.parse_args(argv)
    model, config = load_export(args.export_dir)
    logits = predict_logits(model, config, np.load(args.images))
    np.save(args.logits_out, logits.astype(np.float32))
    print(f"{args.logits_out}: logits of {len(logits)} images for task {config['task']} "
          f"({config['num_classes']} classes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
