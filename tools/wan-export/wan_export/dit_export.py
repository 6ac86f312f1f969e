"""Streams the DiT into the three format 2 graphs without loading it: a one-block skeleton is traced
(parameters as inputs), dit_rest is stitched from a prologue, the block template N-1 times and the
head, and every weight is copied from the shards one tensor at a time."""
import torch
from onnx import TensorProto, helper

from .components import DIT_AXES, DIT_GRAPHS, TRACE, dit_example, dit_graph_inputs
from .dit import Block, BlockPiece, FirstBlock, HeadOnly, RestEpilogue, RestPrologue, S2VDiT
from .stitch import OPSET, Stitcher, trace_piece

_ELEM = {torch.float32: TensorProto.FLOAT, torch.int64: TensorProto.INT64}


def value_info(name, t):
    axes = DIT_AXES.get(name, {})
    return helper.make_tensor_value_info(name, _ELEM[t.dtype], [axes.get(i, d) for i, d in enumerate(t.shape)])


def _strip_dit(name):
    return name[len("dit.") :] if name.startswith("dit.") else name


def skeleton(cfg, layers_with_injector):
    """The conditioning, head and one block (with an audio injector if asked) at the real width."""
    return S2VDiT(dict(cfg, num_layers=1, audio_inject_layers=[0] if layers_with_injector else [])).eval()


def _single(name, module, args, in_names, out_names):
    piece = trace_piece(module, args, in_names, out_names, DIT_AXES)
    st = Stitcher(name)
    st.add_inputs([value_info(n, a) for n, a in zip(in_names, args)])
    produced = st.add(piece, {n: n for n in in_names}, _strip_dit, prefix=f"{name}/")
    with torch.no_grad():
        outs = module(*args)
    outs = outs if isinstance(outs, tuple) else (outs,)
    st.set_outputs([value_info(n, o) for n, o in zip(out_names, outs)], {n: produced[n] for n in out_names})
    return st


def export_dit(cfg, write_graph):
    """write_graph(name, stitcher) writes one graph (its weights streamed) and returns its manifest entry."""
    inject = {layer: j for j, layer in enumerate(sorted(cfg["audio_inject_layers"]))}
    entries = {}

    # The reference forward for example shapes runs on a small random model of the same structure.
    first = skeleton(cfg, 0 in inject)
    example = dit_example(cfg, **TRACE)
    args = dit_graph_inputs(first, "dit_first_block", example)
    _, in_names, out_names = DIT_GRAPHS["dit_first_block"]
    entries["dit_first_block"] = write_graph("dit_first_block", _single("dit_first_block", FirstBlock(first), args, in_names, out_names))

    _, in_names, out_names = DIT_GRAPHS["dit_head"]
    args = dit_graph_inputs(first, "dit_head", example)
    entries["dit_head"] = write_graph("dit_head", _single("dit_head", HeadOnly(first), args, in_names, out_names))

    entries["dit_rest"] = write_graph("dit_rest", _rest(cfg, inject, first, example))
    return {name: entries[name] for name in DIT_GRAPHS}


def _rest(cfg, inject, first, example):
    _, in_names, out_names = DIT_GRAPHS["dit_rest"]
    args = dict(zip(in_names, dit_graph_inputs(first, "dit_rest", example)))
    st = Stitcher("dit_rest")
    st.add_inputs([value_info(n, args[n]) for n in in_names])

    pro_in = ["latents", "timestep", "context", "audio", "rope_cos"]
    pro_out = ["mod", "context_emb", "audio_global", "audio_local"]
    prologue = RestPrologue(first)
    pro_args = [args[n] for n in pro_in]
    pro_axes = dict(DIT_AXES, mod={1: "seq"}, audio_global={0: "latent_frames"}, audio_local={0: "latent_frames"})
    produced = st.add(trace_piece(prologue, pro_args, pro_in, pro_out, pro_axes), {n: n for n in pro_in}, _strip_dit, prefix="prologue/")
    with torch.no_grad():
        mod, ctx, ag, al = prologue(*pro_args)

    blk_in = ["x", "mod", "rope_cos", "rope_sin", "context", "audio_global", "audio_local", "latents"]
    blk_axes = dict(pro_axes, x={1: "seq"}, y={1: "seq"})
    blk_args = [args["hidden"], mod, args["rope_cos"], args["rope_sin"], ctx, ag, al, args["latents"]]
    templates = {False: BlockPiece(Block(cfg["dim"], cfg["ffn_dim"], cfg["num_heads"], cfg["eps"]))}
    if inject:
        templates[True] = BlockPiece(first.blocks[0], first.audio_injector.injector_adain_layers[0], first.audio_injector.injector[0])
    traced = {k: trace_piece(m, blk_args, blk_in, ["y"], blk_axes) for k, m in templates.items()}

    x = "hidden"
    for i in range(1, cfg["num_layers"]):
        j = inject.get(i)

        def keys(name, i=i, j=j):
            head, rest = name.split(".", 1)
            return {"block": f"blocks.{i}.{rest}", "adain": f"audio_injector.injector_adain_layers.{j}.{rest}", "injector": f"audio_injector.injector.{j}.{rest}"}[head]

        data = {"x": x, "mod": produced["mod"], "rope_cos": "rope_cos", "rope_sin": "rope_sin", "context": produced["context_emb"], "audio_global": produced["audio_global"], "audio_local": produced["audio_local"], "latents": "latents"}
        x = st.add(traced[j is not None], data, keys, prefix=f"block{i}/")["y"]

    epi_in = ["x", "hidden", "latents", "timestep"]
    epilogue = RestEpilogue(first)
    epi_args = [args["hidden"], args["hidden"], args["latents"], args["timestep"]]
    epi_axes = dict(DIT_AXES, x={1: "seq"})
    done = st.add(trace_piece(epilogue, epi_args, epi_in, out_names, epi_axes), {"x": x, "hidden": "hidden", "latents": "latents", "timestep": "timestep"}, _strip_dit, prefix="head/")
    with torch.no_grad():
        outs = epilogue(*epi_args)
    st.set_outputs([value_info(n, o) for n, o in zip(out_names, outs)], done)
    return st


# com.microsoft: the attention is one MultiHeadAttention node (dit.attention).
OPSETS = [helper.make_opsetid("", OPSET), helper.make_opsetid("com.microsoft", 1)]
