"""export --app animate: the Animate-specific graphs (clip_encoder, face_motion, face_encoder, dit) from
a Wan2.2-Animate-14B folder, and reference cases (our torch modules on seeded inputs) to compare them with.
umT5, its tokenizer and the VAE are the S2V pack's components (same weights), written by the S2V
export's functions (animate_pack.py puts the pack together).

The CLIP tower and the face graphs are exported whole with torch.onnx.export (weights as one external
data file); the DiT (32 GB at 14B) is streamed through the block-template stitcher (animate_dit_export.py)
as the S2V DiT is, so the export never holds it."""
import os
import tempfile
import warnings

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper

from .animate_clip import ClipEncoder
from .animate_dit_export import check_dit_weights, write_animate_dit
from .animate_face import FaceEncoder, FaceMotion
from .configs import TEXT_LEN, rope_pairs, write_json
from .export import graph_entry
from .reference import _save
from .rope import _freqs, _grid
from .stitch import _TORCHSCRIPT
from .weights import sha256_file

OPSET = 17
ANIMATE_COMPONENTS = ["clip_encoder", "face_motion", "face_encoder", "dit"]


def animate_rope_tables(latent_frames, lh, lw, head_dim):
    """cos/sin [seq, head_dim / 2] of the plain (t, y, x) grid: the reference latent is frame 0."""
    pt, ph, pw = rope_pairs(head_dim)
    pos = _grid(range(latent_frames), range(lh // 2), range(lw // 2))
    angles = np.concatenate([np.outer(pos[:, 0], _freqs(pt)), np.outer(pos[:, 1], _freqs(ph)), np.outer(pos[:, 2], _freqs(pw))], axis=1)
    return torch.from_numpy(np.cos(angles).astype(np.float32)), torch.from_numpy(np.sin(angles).astype(np.float32))


class Modules:
    """The torch modules of each graph, built once from the checkpoint."""

    def __init__(self, ckpt, with_dit=True):
        # The export streams the DiT from the shards (animate_dit_export.py); references build it whole.
        self.dit, self.cfg = ckpt.build_dit() if with_dit else (None, ckpt.dit_config())
        motion = ckpt.build_motion_encoder()
        self.face_size = motion.size
        self.wrappers = {
            "clip_encoder": ClipEncoder(ckpt.build_clip()).eval(),
            "face_motion": FaceMotion(motion).eval(),
            "face_encoder": FaceEncoder(ckpt.build_face_encoder()).eval(),
        }
        if with_dit:
            self.wrappers["dit"] = self.dit
        self.style_dim = self.wrappers["face_motion"].q.shape[0]
        self.clip_dim = self.cfg["clip_dim"]


# name -> (input names, output names, dynamic axes)
GRAPHS = {
    "clip_encoder": (["reference"], ["clip_features"], {"reference": {2: "height", 3: "width"}}),
    "face_motion": (["face_pixels"], ["motion"], {"face_pixels": {0: "faces"}, "motion": {0: "faces"}}),
    "face_encoder": (["motion"], ["face_tokens"], {"motion": {1: "frames"}, "face_tokens": {1: "latent_frames"}}),
    "dit": (
        ["latents", "y", "pose_latents", "timestep", "context", "clip_features", "face_tokens", "rope_cos", "rope_sin", "lora_scale"],
        ["velocity"],
        {
            "latents": {2: "latent_frames", 3: "lh", 4: "lw"}, "y": {2: "latent_frames", 3: "lh", 4: "lw"}, "pose_latents": {2: "pose_frames", 3: "lh", 4: "lw"},
            "face_tokens": {1: "latent_frames"}, "rope_cos": {0: "seq"}, "rope_sin": {0: "seq"}, "velocity": {2: "latent_frames", 3: "lh", 4: "lw"},
        },
    ),
}


def example(m, name, seed, size):
    """Seeded inputs of one graph. size: clip (h, w); face_motion frames; face_encoder frames; dit (latent_frames, lh, lw, lora_scale)."""
    g = torch.Generator().manual_seed(seed)
    r = lambda *s: torch.randn(*s, generator=g)  # noqa: E731
    if name == "clip_encoder":
        return [torch.tanh(r(1, 3, *size))]
    if name == "face_motion":
        return [torch.tanh(r(size, 3, m.face_size, m.face_size))]
    if name == "face_encoder":
        return [r(1, size, m.style_dim)]
    f, lh, lw, lora = size
    cfg = m.cfg
    cos, sin = animate_rope_tables(f, lh, lw, cfg["dim"] // cfg["num_heads"])
    return [
        r(1, 16, f, lh, lw), r(1, 20, f, lh, lw), r(1, 16, f - 1, lh, lw), torch.tensor([937.0]), r(1, TEXT_LEN, cfg["text_dim"]),
        r(1, 257, m.clip_dim), r(1, f, 5, cfg["dim"]), cos, sin, torch.tensor([float(lora)]),
    ]


TRACE = {"clip_encoder": (64, 48), "face_motion": 2, "face_encoder": 9, "dit": (3, 4, 6, 1)}
CASES = {"clip_encoder": [(40, 72)], "face_motion": [3], "face_encoder": [13], "dit": [(4, 6, 4, 0), (4, 6, 4, 1)]}


def _case_name(name, size):
    return f"{name}@{'x'.join(str(s) for s in size) if isinstance(size, tuple) else size}"


def output_shapes(m):
    """The declared output shapes (torch names the free dimensions of outputs arbitrarily)."""
    return {
        "clip_encoder": [1, 257, m.clip_dim], "face_motion": ["faces", m.style_dim], "face_encoder": [1, "latent_frames", 5, m.cfg["dim"]],
        "dit": [1, 16, "latent_frames", "lh", "lw"],
    }


def _set_shape(value_info, dims):
    shape = value_info.type.tensor_type.shape
    del shape.dim[:]
    for d in dims:
        dim = shape.dim.add()
        if isinstance(d, str):
            dim.dim_param = d
        else:
            dim.dim_value = d


def export_graph(module, name, args, out, out_shape, dtype="float32"):
    """A small graph exported whole (the CLIP tower, the face graphs); with float16, its weights stored as fp16."""
    ins, outs, axes = GRAPHS[name]
    with tempfile.TemporaryDirectory() as tmp:
        raw = os.path.join(tmp, f"{name}.onnx")
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(module, tuple(args), raw, input_names=ins, output_names=outs, dynamic_axes=axes, opset_version=OPSET, do_constant_folding=True, **_TORCHSCRIPT)
        model = onnx.load(raw)
    _set_shape(model.graph.output[0], out_shape)
    if dtype == "float16":
        store_fp16(model)
    path = os.path.join(out, f"{name}.onnx")
    weights = f"{name}.weights"
    if os.path.exists(os.path.join(out, weights)):
        os.remove(os.path.join(out, weights))
    onnx.save_model(model, path, save_as_external_data=True, all_tensors_to_one_file=True, location=weights, size_threshold=0)
    return graph_entry(path, sha256_file(os.path.join(out, weights)), dtype)


# Tensors below this size (CLIP's mean/std, scalars) keep float32: they are constants, not weights.
FP16_MIN_VALUES = 64


def store_fp16(model):
    """Stores each float32 initializer of FP16_MIN_VALUES values or more as float16 with a Cast back to
    float32 in front of its readers, as the stitched graphs do: inputs, outputs and the arithmetic stay float32."""
    casts = []
    for init in model.graph.initializer:
        if init.data_type != TensorProto.FLOAT or int(np.prod(init.dims)) < FP16_MIN_VALUES:
            continue
        arr = numpy_helper.to_array(init).astype(np.float16)
        name = init.name
        init.CopyFrom(numpy_helper.from_array(arr, name + "__fp16"))
        casts.append(helper.make_node("Cast", [name + "__fp16"], [name], to=TensorProto.FLOAT, name="Cast_" + name))
    nodes = casts + list(model.graph.node)
    del model.graph.node[:]
    model.graph.node.extend(nodes)


def export_animate_graphs(m, ckpt, out, dtype="float32"):
    """Writes the four Animate graphs: clip_encoder and the face graphs whole, the DiT streamed from
    the shards (animate_dit_export.py). Returns their manifest entries."""
    shapes = output_shapes(m)
    entries = {name: export_graph(m.wrappers[name], name, example(m, name, 0, TRACE[name]), out, shapes[name], dtype) for name in ANIMATE_COMPONENTS if name != "dit"}
    check_dit_weights(ckpt, m.cfg)
    path, weights_sha = write_animate_dit(ckpt, m.cfg, example(m, "dit", 0, TRACE["dit"]), GRAPHS["dit"], out, dtype)
    entries["dit"] = graph_entry(path, weights_sha, dtype)
    return entries


def write_animate_reference(m, out):
    os.makedirs(out, exist_ok=True)
    cases = {}
    for name in ANIMATE_COMPONENTS:
        ins, outs, _ = GRAPHS[name]
        for size in CASES[name]:
            args = example(m, name, 7, size)
            with torch.no_grad():
                result = m.wrappers[name](*args)
            case = _case_name(name, size)
            cases[case] = {"component": name, "inputs": _save(out, case, ins, args), "outputs": _save(out, case, outs, [result])}
    write_json(os.path.join(out, "index.json"), {"cases": cases})
    return cases
