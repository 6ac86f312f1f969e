"""vae_encoder.onnx and vae_decoder.onnx from Wan2.1_VAE.pth: one graph per call, with the causal caches
carried inside by an ONNX Loop (docs/model-pack.md, "vae_encoder / vae_decoder").

Each graph is the first chunk (traced with no caches) followed by a Loop over the remaining chunks,
whose body is the chunk step traced with the caches as inputs and outputs. The Loop carries the
caches from one iteration to the next and collects each chunk's output, so a call's memory is its
input, its output and one chunk's activations, whatever the clip length. The weights are graph
initializers that the Loop body reads from outer scope (stored once)."""
import torch
import torch.nn as nn
from onnx import TensorProto, helper

from .errors import ExportError
from .layout import VAE_FILE, _compare
from .pth_io import PthFile
from .stitch import Stitcher, trace_piece
from .vae import VAE_OFFICIAL, Caches, WanVAE

# Sizes the chunk steps are traced at (every size is symbolic in the graphs).
TRACE_PIXELS = (32, 32)


def vae_config(weights, where):
    """The release's VAE structure at the width the checkpoint has; its keys and shapes are checked."""
    for key in ("encoder.conv1.weight", "conv2.weight"):
        if key not in weights.keys():
            raise ExportError(f"{where} lacks {key}: it is not the Wan 2.1 VAE (Wan2.1_VAE.pth of the Wan2.2-S2V-14B release). Download it again.")
    cfg = dict(VAE_OFFICIAL, dim=weights.shape("encoder.conv1.weight")[0], z_dim=weights.shape("conv2.weight")[0])
    if cfg["z_dim"] != 16:
        raise ExportError(f"{where} has {cfg['z_dim']} latent channels; the Wan 2.1 VAE has 16. Use Wan2.1_VAE.pth of the Wan2.2-S2V-14B release.")
    _compare({k: t.shape for k, t in WanVAE(cfg).state_dict().items()}, weights, where)
    return cfg


def vae_weights(ckpt):
    return PthFile(ckpt.path(VAE_FILE))


def build_vae(ckpt):
    from .layout import load_state

    weights = vae_weights(ckpt)
    cfg = vae_config(weights, ckpt.path(VAE_FILE))
    m = WanVAE(cfg)
    load_state(m, weights, ckpt.path(VAE_FILE))
    return m.eval(), cfg


class ChunkStep(nn.Module):
    """One chunk of encode or decode with the caches as tensors: (chunk, *caches) -> (out, *caches).
    first: the first chunk, which has no caches yet."""

    def __init__(self, vae, kind, first):
        super().__init__()
        self.vae, self.kind, self.first = vae, kind, first

    def forward(self, chunk, *caches):
        c = Caches(None if self.first else caches)
        out = self.vae.encode_chunk(chunk, c) if self.kind == "encode" else self.vae.decode_chunk(chunk, c)
        return (out, *c.new)


# Per kind: the graph's input and output, the chunk length in input frames, the output frames per chunk.
KINDS = {
    "encode": dict(graph="vae_encoder", input="pixels", output="latents", chunk=4, first_axes={3: "height", 4: "width"}, out_axes={3: "lh", 4: "lw"}),
    "decode": dict(graph="vae_decoder", input="latents", output="pixels", chunk=1, first_axes={3: "lh", 4: "lw"}, out_axes={3: "height", 4: "width"}),
}
IO_SHAPES = {
    "pixels": [1, 3, "frames", "height", "width"],
    "latents": [1, 16, "latent_frames", "lh", "lw"],
}


def _strip_vae(name):
    return name[len("vae.") :]


def _trace_steps(vae, kind):
    """Traces the first chunk and the chunk step; returns (first piece, step piece, number of caches)."""
    k = KINDS[kind]
    h, w = TRACE_PIXELS
    g = torch.Generator().manual_seed(0)
    if kind == "encode":
        first_in, step_in = torch.rand(1, 3, 1, h, w, generator=g) * 2 - 1, torch.rand(1, 3, 4, h, w, generator=g) * 2 - 1
    else:
        first_in, step_in = torch.randn(1, 16, 1, h // 8, w // 8, generator=g), torch.randn(1, 16, 1, h // 8, w // 8, generator=g)
    first = ChunkStep(vae, kind, True).eval()
    with torch.no_grad():
        _, *caches = first(first_in)
    n = len(caches)
    cache_axes = {f"cache{i}": {3: f"cache{i}_h", 4: f"cache{i}_w"} for i in range(n)}
    out_axes = {f"next{i}": {3: f"cache{i}_h", 4: f"cache{i}_w"} for i in range(n)}
    axes = dict(cache_axes, **out_axes, chunk=k["first_axes"], out=k["out_axes"])
    outs = ["out"] + [f"next{i}" for i in range(n)]
    first_piece = trace_piece(first, [first_in], ["chunk"], outs, axes)
    step = ChunkStep(vae, kind, False).eval()
    step_piece = trace_piece(step, [step_in, *caches], ["chunk"] + [f"cache{i}" for i in range(n)], outs, axes)
    return first_piece, step_piece, n


class _Nodes:
    """Small helper nodes (constants, shape arithmetic) with unique names under a prefix."""

    def __init__(self, nodes, prefix):
        self.nodes, self.prefix, self.n = nodes, prefix, 0

    def name(self, what):
        self.n += 1
        return f"{self.prefix}{what}_{self.n}"

    def op(self, op_type, inputs, what=None, **attrs):
        out = self.name(what or op_type.lower())
        self.nodes.append(helper.make_node(op_type, inputs, [out], name=out, **attrs))
        return out

    def const(self, values, dtype=TensorProto.INT64, scalar=False):
        out = self.name("const")
        t = helper.make_tensor(out, dtype, [] if scalar else [len(values)], values)
        self.nodes.append(helper.make_node("Constant", [], [out], name=out, value=t))
        return out

    def frames(self, x, start, count):
        """x[:, :, start : start + count] with start an int64 [1] value."""
        return self.op("Slice", [x, start, self.op("Add", [start, self.const([count])]), self.const([2])], "chunk")


def stitch_vae(vae, kind):
    """The whole graph of one call: first chunk, Loop over the others, outputs joined along time."""
    k = KINDS[kind]
    first_piece, step_piece, n = _trace_steps(vae, kind)
    st = Stitcher(k["graph"])
    st.add_inputs([helper.make_tensor_value_info(k["input"], TensorProto.FLOAT, IO_SHAPES[k["input"]])])
    top = _Nodes(st.nodes, "top/")

    first = st.add(first_piece, {"chunk": top.frames(k["input"], top.const([0]), 1)}, _strip_vae, "first/")
    # Chunks after the first: (frames - 1) / 4 to encode, latent_frames - 1 to decode.
    frames = top.op("Gather", [top.op("Shape", [k["input"]]), top.const([2], scalar=True)])
    rest = top.op("Sub", [frames, top.const([1], scalar=True)])
    if kind == "encode":
        rest = top.op("Div", [rest, top.const([4], scalar=True)])

    body, body_inputs, body_outputs = _loop_body(step_piece, n, kind)
    st.adopt_params(body)
    graph = helper.make_graph(body.nodes, f"{k['graph']}_chunk", body_inputs, body_outputs, initializer=body.constants)
    finals = [f"loop/cache{i}_final" for i in range(n)]
    chunks = "loop/chunks"  # [rest, 1, C, t, h, w]: one output per iteration
    st.nodes.append(helper.make_node("Loop", [rest, top.const([1], TensorProto.BOOL, scalar=True)] + [first[f"next{i}"] for i in range(n)], finals + [chunks], name="loop", body=graph))

    joined = _join_chunks(top, first["out"], chunks, rest, kind)
    if kind == "decode":
        joined = top.op("Clip", [joined, top.const([-1.0], TensorProto.FLOAT, scalar=True), top.const([1.0], TensorProto.FLOAT, scalar=True)])
    st.set_outputs([helper.make_tensor_value_info(k["output"], TensorProto.FLOAT, IO_SHAPES[k["output"]])], {k["output"]: joined})
    return st


def _loop_body(step_piece, n, kind):
    """The Loop body: slices its chunk from the graph input (outer scope) by the iteration number and runs the step."""
    k = KINDS[kind]
    body = Stitcher(f"{k['graph']}_chunk")
    b = _Nodes(body.nodes, "step/")
    it, cond = "step/iteration", "step/cond"
    inputs = [helper.make_tensor_value_info(it, TensorProto.INT64, []), helper.make_tensor_value_info(cond, TensorProto.BOOL, [])]
    cache_types = {i.name: i.type for i in step_piece.graph.input}
    for i in range(n):
        vi = helper.make_tensor_value_info(f"step/cache{i}", TensorProto.FLOAT, None)
        vi.type.CopyFrom(cache_types[f"cache{i}"])
        inputs.append(vi)
    # Chunk i of the loop starts at input frame 1 + chunk * i.
    start = b.op("Add", [b.op("Mul", [it, b.const([k["chunk"]], scalar=True)]), b.const([1], scalar=True)])
    chunk = b.frames(k["input"], b.op("Unsqueeze", [start, b.const([0])]), k["chunk"])
    data = {"chunk": chunk, **{f"cache{i}": f"step/cache{i}" for i in range(n)}}
    produced = body.add(step_piece, data, _strip_vae, "step/")
    out_types = {o.name: o.type for o in step_piece.graph.output}
    outputs = []
    for name, src in [("cond_out", cond)] + [(f"next{i}", produced[f"next{i}"]) for i in range(n)] + [("out", produced["out"])]:
        out = f"step/{name}_result"
        body.nodes.append(helper.make_node("Identity", [src], [out], name=out))
        vi = helper.make_tensor_value_info(out, TensorProto.BOOL if name == "cond_out" else TensorProto.FLOAT, [] if name == "cond_out" else None)
        if name in out_types:
            vi.type.CopyFrom(out_types[name])
        outputs.append(vi)
    return body, inputs, outputs


def _join_chunks(top, first_out, chunks, rest, kind):
    """[1, C, t0, h, w] and the Loop's [rest, 1, C, t, h, w] -> [1, C, t0 + rest * t, h, w]. The target
    shape is computed, not inferred: with no chunk after the first the Loop's output is empty and its
    sizes are unknown (0)."""
    per_chunk = 1 if kind == "encode" else 4  # latent frames per encoded chunk, pixel frames per decoded latent
    moved = top.op("Transpose", [chunks], perm=[1, 2, 0, 3, 4, 5])  # [1, C, rest, t, h, w]
    shape = top.op("Shape", [first_out])
    t = top.op("Mul", [top.op("Unsqueeze", [rest, top.const([0])]), top.const([per_chunk])])
    target = top.op("Concat", [top.op("Slice", [shape, top.const([0]), top.const([2])]), t, top.op("Slice", [shape, top.const([3]), top.const([5])])], axis=0)
    return top.op("Concat", [first_out, top.op("Reshape", [moved, target])], axis=2)


def stitch_vae_graphs(ckpt):
    """(encoder stitcher, decoder stitcher, weights) from the checkpoint's Wan2.1_VAE.pth."""
    weights = vae_weights(ckpt)
    cfg = vae_config(weights, ckpt.path(VAE_FILE))
    skeleton = WanVAE(cfg).eval()
    return stitch_vae(skeleton, "encode"), stitch_vae(skeleton, "decode"), weights
