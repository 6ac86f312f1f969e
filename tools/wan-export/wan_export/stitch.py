"""Exports a large model without holding it in RAM: small torch pieces (a prologue, one block
template, an epilogue) are traced with their parameters as graph inputs (never the weights), the
block template is stitched in N times, and each parameter becomes an initializer whose bytes are
streamed from the checkpoint, one tensor at a time, into the external weights file."""
import inspect
import os
import sys
import tempfile
import warnings

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper

from .weights import HashingWriter

OPSET = 17

# torch 2.9 made the dynamo exporter the default; the pieces are traced with the TorchScript exporter
# (parameters as inputs, dynamic_axes), which torch 1.13 runs without this argument.
_TORCHSCRIPT = {"dynamo": False} if "dynamo" in inspect.signature(torch.onnx.export).parameters else {}


def trace_piece(module, args, input_names, output_names, axes, seed=0):
    """Traces `module` into ONNX with its parameters as graph inputs named by state-dict key.
    The parameters are randomized first: the exporter merges inputs with equal values."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.randn(p.shape, generator=g) * 0.02)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "piece.onnx")
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                module.eval(), tuple(args), path, export_params=False, input_names=input_names, output_names=output_names,
                dynamic_axes={k: v for k, v in axes.items() if k in input_names + output_names}, opset_version=OPSET, do_constant_folding=False, **_TORCHSCRIPT,
            )
        model = onnx.load(path)
    params = {name for name, _ in module.named_parameters()}
    unknown = [i.name for i in model.graph.input if i.name not in input_names and i.name not in params]
    if unknown:
        raise RuntimeError(f"traced piece has inputs that are neither data nor parameters: {unknown}")
    return model


def _little_endian_bytes(arr):
    """The array's bytes as ONNX stores them, without a copy on little-endian machines (umT5's
    embedding is 2.1 GB: each copy would add that to the peak)."""
    if sys.byteorder != "little":
        arr = arr.astype(arr.dtype.newbyteorder("<"))
    return arr.reshape(-1).view(np.uint8)


def _inputs_used(nodes):
    """Every value the nodes read, including inside their subgraphs (a Loop body reads weights from outer scope)."""
    used = set()
    for n in nodes:
        used.update(n.input)
        for attr in n.attribute:
            if attr.type == onnx.AttributeProto.GRAPH:
                used |= _inputs_used(attr.g.node)
            elif attr.type == onnx.AttributeProto.GRAPHS:
                for g in attr.graphs:
                    used |= _inputs_used(g.node)
    return used


class Stitcher:
    """Builds one graph from traced pieces. Parameters map to checkpoint keys; `weights.load(key)`
    supplies the bytes when the graph is written."""

    def __init__(self, name):
        self.name = name
        self.nodes, self.inputs, self.outputs = [], [], []
        self.constants = []  # non-parameter initializers of the pieces (small)
        self.params = {}  # checkpoint key -> shape
        self.counter = 0

    def add_inputs(self, value_infos):
        self.inputs.extend(value_infos)

    def add(self, piece, data_map, param_map, prefix, any_shape=()):
        """Adds a piece: its data inputs are renamed by `data_map` (template name -> outer value),
        its parameters by `param_map` (state-dict name -> checkpoint key), everything else gets
        `prefix`. Returns {template output name: outer value name}."""
        g = piece.graph
        rename = dict(data_map)
        for i in g.input:
            if i.name in data_map:
                continue
            key = param_map(i.name)
            # any_shape: parameters traced at a stand-in size (a Gather table); the checkpoint's size is used.
            shape = None if key in any_shape else [d.dim_value for d in i.type.tensor_type.shape.dim]
            if key in self.params and self.params[key] != shape:
                raise RuntimeError(f"{key} is used with shapes {self.params[key]} and {shape}")
            self.params[key] = shape
            rename[i.name] = key
        for init in g.initializer:
            t = onnx.TensorProto()
            t.CopyFrom(init)
            t.name = prefix + init.name
            rename[init.name] = t.name
            self.constants.append(t)
        for n in g.node:
            for attr in n.attribute:
                if attr.type in (onnx.AttributeProto.GRAPH, onnx.AttributeProto.GRAPHS):
                    raise RuntimeError("pieces with subgraphs are not stitched")
            for v in n.output:
                if v and v not in rename:
                    rename[v] = prefix + v
            node = onnx.NodeProto()
            node.CopyFrom(n)
            del node.input[:]
            node.input.extend([rename.get(v, v) if v else "" for v in n.input])
            del node.output[:]
            node.output.extend([rename[v] if v else "" for v in n.output])
            node.name = f"{prefix}{n.name or n.op_type}_{self.counter}"
            self.counter += 1
            self.nodes.append(node)
        return {o.name: rename[o.name] for o in g.output}

    def adopt_params(self, other):
        """Takes over the parameters of a Stitcher whose nodes became a subgraph (a Loop body) of this
        graph: they are written as this graph's initializers, which the subgraph sees from outer scope."""
        for key, shape in other.params.items():
            if key in self.params and self.params[key] != shape:
                raise RuntimeError(f"{key} is used with shapes {self.params[key]} and {shape}")
            self.params[key] = shape

    def set_outputs(self, value_infos, produced):
        """Graph outputs: each value_info's name must be produced; an Identity gives it its name."""
        for vi in value_infos:
            self.nodes.append(helper.make_node("Identity", [produced[vi.name]], [vi.name], name=f"output_{vi.name}"))
            self.outputs.append(vi)

    def write(self, out_dir, weights, dtype, opset_imports):
        """Writes <name>.onnx and <name>.weights; parameters are streamed from `weights`. Returns (onnx path, weights sha256)."""
        writer = HashingWriter(os.path.join(out_dir, f"{self.name}.weights"))
        location = f"{self.name}.weights"
        inits, casts = [], []
        used = _inputs_used(self.nodes)
        for key, shape in self.params.items():
            if key not in used:
                continue
            # bf16 -> fp16 directly: the largest tensor (umT5's 256k x 4096 embedding) is never held in fp32.
            arr = weights.load(key).to(torch.float16 if dtype == "float16" else torch.float32).contiguous().numpy()
            if shape is not None and list(arr.shape) != shape:
                raise RuntimeError(f"{key} is {list(arr.shape)} in the checkpoint, the graph expects {shape}")
            stored_name, elem = key, TensorProto.FLOAT
            if dtype == "float16":
                stored_name, elem = key + "__fp16", TensorProto.FLOAT16
                casts.append(helper.make_node("Cast", [stored_name], [key], to=TensorProto.FLOAT, name="Cast_" + key))
            t = onnx.TensorProto(name=stored_name, data_type=elem, dims=list(arr.shape))
            start = writer.write(_little_endian_bytes(arr))
            t.data_location = TensorProto.EXTERNAL
            for k, v in (("location", location), ("offset", str(start)), ("length", str(arr.nbytes))):
                e = t.external_data.add()
                e.key, e.value = k, v
            inits.append(t)
            del arr
        sha = writer.close()
        graph = helper.make_graph(casts + self.nodes, self.name, self.inputs, self.outputs, initializer=inits + self.constants)
        model = helper.make_model(graph, opset_imports=opset_imports, producer_name="wan-export")
        model.ir_version = 8
        path = os.path.join(out_dir, f"{self.name}.onnx")
        tmp = path + ".tmp"
        onnx.save_model(model, tmp)
        os.replace(tmp, path)
        return path, sha
