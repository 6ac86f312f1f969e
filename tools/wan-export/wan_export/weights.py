"""Writes an exported graph's weights as ONNX external data: large float tensors go to one weights
file (float16 or float32), hashed while written; the .onnx keeps only the graph and small constants."""
import hashlib
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

INLINE_LIMIT = 1024  # elements; smaller tensors stay in the .onnx file
ALIGN = 64


class HashingWriter:
    def __init__(self, path):
        self.path, self.tmp = path, path + ".tmp"
        self.f = open(self.tmp, "wb")
        self.sha = hashlib.sha256()
        self.offset = 0

    def write(self, data):
        pad = -self.offset % ALIGN
        if pad:
            self._put(b"\0" * pad)
        start = self.offset
        self._put(data)
        return start

    def _put(self, b):
        self.f.write(b)
        self.sha.update(b)
        self.offset += len(b)

    def close(self):
        self.f.close()
        os.replace(self.tmp, self.path)
        return self.sha.hexdigest()


def sha256_file(path):
    sha = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            sha.update(chunk)
    return sha.hexdigest()


def externalize(model, weights_path, dtype):
    """Moves float initializers of `model` into weights_path. With dtype float16 the stored tensor is
    fp16 and a Cast to fp32 feeds the graph (inputs, outputs and the math stay fp32). Returns its sha256."""
    graph = model.graph
    writer = HashingWriter(weights_path)
    location = os.path.basename(weights_path)
    casts = []
    for init in graph.initializer:
        if init.data_type != TensorProto.FLOAT or int(np.prod(init.dims)) < INLINE_LIMIT:
            continue
        arr = numpy_helper.to_array(init)
        if dtype == "float16":
            arr = arr.astype(np.float16)
            stored = init.name + "__fp16"
            casts.append(helper.make_node("Cast", [stored], [init.name], to=TensorProto.FLOAT, name="Cast_" + stored))
            init.name = stored
            init.data_type = TensorProto.FLOAT16
        start = writer.write(arr.astype(arr.dtype.newbyteorder("<")).tobytes())
        init.ClearField("raw_data")
        init.ClearField("float_data")
        init.data_location = TensorProto.EXTERNAL
        del init.external_data[:]
        for k, v in (("location", location), ("offset", str(start)), ("length", str(arr.nbytes))):
            entry = init.external_data.add()
            entry.key, entry.value = k, v
    # The casts come first so that the nodes stay topologically sorted.
    nodes = list(graph.node)
    del graph.node[:]
    graph.node.extend(casts + nodes)
    return writer.close()


def save_model(model, path):
    tmp = path + ".tmp"
    onnx.save_model(model, tmp)
    os.replace(tmp, path)
    return sha256_file(path)
