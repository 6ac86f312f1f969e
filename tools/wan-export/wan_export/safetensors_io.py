"""A small safetensors reader and writer, so the exporter works where the `safetensors` package is absent.

The format: 8 bytes little-endian header length, a JSON header {name: {dtype, shape, data_offsets}},
then the raw tensor bytes. Tensors are read one at a time, straight from the file.
"""
import json
import os
import struct

import numpy as np
import torch

from .errors import ExportError

_DTYPES = {
    "F32": torch.float32,
    "F16": torch.float16,
    "BF16": torch.bfloat16,
    "F64": torch.float64,
    "I64": torch.int64,
    "I32": torch.int32,
}
_NAMES = {v: k for k, v in _DTYPES.items()}


class SafetensorsFile:
    """Lazy access to one .safetensors file: `keys()`, `shape(key)`, `load(key)` (one tensor at a time)."""

    def __init__(self, path):
        self.path = path
        try:
            with open(path, "rb") as f:
                raw = f.read(8)
                if len(raw) != 8:
                    raise ExportError(f"{path} is empty or cut short: download it again.")
                (n,) = struct.unpack("<Q", raw)
                if n > 100_000_000:
                    raise ExportError(f"{path} is not a safetensors file (header length {n}).")
                self.header = json.loads(f.read(n))
        except (OSError, ValueError) as e:
            raise ExportError(f"{path} could not be read as safetensors ({e}). Download it again.") from e
        self.header.pop("__metadata__", None)
        self.data_start = 8 + n
        size = os.path.getsize(path)
        for key, info in self.header.items():
            if info["dtype"] not in _DTYPES:
                raise ExportError(f"{path}: tensor {key} has dtype {info['dtype']}, which the exporter does not read.")
            if self.data_start + info["data_offsets"][1] > size:
                raise ExportError(f"{path} is cut short (tensor {key} runs past the end of the file). Download it again.")

    def keys(self):
        return list(self.header.keys())

    def shape(self, key):
        return tuple(self.header[key]["shape"])

    def load(self, key):
        info = self.header[key]
        start, end = info["data_offsets"]
        with open(self.path, "rb") as f:
            f.seek(self.data_start + start)
            data = bytearray(f.read(end - start))
        dtype = _DTYPES[info["dtype"]]
        if dtype == torch.bfloat16:
            t = torch.frombuffer(data, dtype=torch.int16).view(torch.bfloat16) if data else torch.empty(0, dtype=dtype)
        else:
            t = torch.frombuffer(data, dtype=dtype) if data else torch.empty(0, dtype=dtype)
        return t.reshape(info["shape"])


def write_safetensors(path, tensors):
    """Writes {name: tensor} (temp file + rename)."""
    header = {}
    offset = 0
    blobs = []
    for name, t in tensors.items():
        t = t.detach().contiguous().cpu()
        if t.dtype == torch.bfloat16:
            blob = t.view(torch.int16).numpy().tobytes()
        else:
            blob = t.numpy().astype(np.dtype(t.numpy().dtype).newbyteorder("<")).tobytes()
        header[name] = {"dtype": _NAMES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    head = json.dumps(header, separators=(",", ":")).encode()
    head += b" " * (-len(head) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(head)))
        f.write(head)
        for b in blobs:
            f.write(b)
    os.replace(tmp, path)
