"""Reads a torch .pth state dict lazily: the pickle is read for the tensor layout only, and each
tensor's bytes are read from the zip archive when asked for. The 11 GB umT5 encoder is thus never
loaded whole (torch.load in torch 1.13 has no mmap)."""
import pickle
import zipfile

import torch

from .errors import ExportError

_STORAGE_DTYPES = {
    "FloatStorage": torch.float32,
    "HalfStorage": torch.float16,
    "BFloat16Storage": torch.bfloat16,
    "DoubleStorage": torch.float64,
    "LongStorage": torch.int64,
    "IntStorage": torch.int32,
    "BoolStorage": torch.bool,
}


class _LazyTensor:
    def __init__(self, storage, offset, size, stride):
        self.storage, self.offset, self.size, self.stride = storage, offset, tuple(size), tuple(stride)


class _Unpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if module == "torch._utils" and name == "_rebuild_tensor_v2":
            return lambda storage, offset, size, stride, *rest: _LazyTensor(storage, offset, size, stride)
        if module == "torch" and name in _STORAGE_DTYPES:
            return _STORAGE_DTYPES[name]
        if module == "collections" and name == "OrderedDict":
            import collections

            return collections.OrderedDict
        if module == "torch" and name in ("float32", "float16", "bfloat16"):
            return getattr(torch, name)
        raise pickle.UnpicklingError(f"unexpected object {module}.{name} in a state dict")

    def persistent_load(self, pid):
        # ('storage', storage_type, key, location, numel)
        _, storage_type, key, _, numel = pid
        dtype = storage_type if isinstance(storage_type, torch.dtype) else getattr(storage_type, "dtype", None)
        if dtype is None:
            raise pickle.UnpicklingError(f"unknown storage type {storage_type}")
        return (key, dtype, numel)


class PthFile:
    """Lazy access to a torch-saved state dict: `keys()`, `shape(key)`, `load(key)`."""

    def __init__(self, path):
        self.path = path
        try:
            self.zip = zipfile.ZipFile(path)
            names = self.zip.namelist()
            pkl = next((n for n in names if n.endswith("/data.pkl")), None)
            if pkl is None:
                raise ExportError(f"{path} is not a torch zip checkpoint (no data.pkl). Download it again.")
            self.prefix = pkl[: -len("data.pkl")]
            self.tensors = _Unpickler(self.zip.open(pkl)).load()
        except (OSError, zipfile.BadZipFile, pickle.UnpicklingError, EOFError) as e:
            raise ExportError(f"{path} could not be read as a torch checkpoint ({e}). Download it again.") from e
        if not isinstance(self.tensors, dict):
            raise ExportError(f"{path} does not hold a state dict.")

    def keys(self):
        return list(self.tensors.keys())

    def shape(self, key):
        return self.tensors[key].size

    def _read(self, name):
        """A storage's bytes, read in pieces straight into one buffer (ZipFile.read would hold a
        second copy: umT5's embedding is 2.1 GB)."""
        raw = bytearray(self.zip.getinfo(name).file_size)
        view = memoryview(raw)
        with self.zip.open(name) as f:
            pos = 0
            while pos < len(raw):
                piece = f.read(min(64 << 20, len(raw) - pos))
                if not piece:
                    raise ExportError(f"{self.path} is cut short in {name}. Download it again.")
                view[pos : pos + len(piece)] = piece
                pos += len(piece)
        return raw

    def load(self, key):
        return self.materialize(self.tensors[key])

    def materialize(self, lt):
        """A tensor of the pickle's layout (e.g. one inside a nested dict) read from the archive."""
        skey, dtype, numel = lt.storage
        raw = self._read(f"{self.prefix}data/{skey}")
        if not raw:
            return torch.empty(lt.size, dtype=dtype)
        if dtype == torch.bfloat16:
            flat = torch.frombuffer(raw, dtype=torch.int16).view(torch.bfloat16)
        else:
            flat = torch.frombuffer(raw, dtype=dtype)
        if lt.offset == 0 and flat.numel() == torch.Size(lt.size).numel() and list(lt.stride) == _contiguous_strides(lt.size):
            return flat.view(lt.size)  # the whole storage in order: no copy
        return torch.as_strided(flat, lt.size, lt.stride, lt.offset).clone()


def _contiguous_strides(size):
    strides, n = [], 1
    for d in reversed(size):
        strides.append(n)
        n *= d
    return list(reversed(strides))
