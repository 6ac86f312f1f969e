"""Streams the Animate DiT into dit.onnx without loading it (the 14B DiT is 32 GB): small torch pieces
at the real width are traced with their parameters as graph inputs (stitch.py), the block template is
stitched in once per block (with its relighting adapters and the lora_scale input), the face adapter
template after every 5th block, and every weight is copied from the shards (the adapters from
relighting_lora.ckpt) one tensor at a time while the graph is written."""
import torch
import torch.nn as nn
from onnx import TensorProto, helper

from .animate_dit import FACE_EVERY, AnimateBlock, AnimateDiT, FaceBlock, LoraLinear, sinusoid64
from .dit_export import OPSETS
from .layout import _compare
from .stitch import Stitcher, trace_piece

_ELEM = {torch.float32: TensorProto.FLOAT}


class Prologue(nn.Module):
    """Patch and pose embeddings, time modulation, text and CLIP context: what every block reads."""

    def __init__(self, dit):
        super().__init__()
        self.dit = dit

    def forward(self, latents, y, pose_latents, timestep, context, clip_features):
        d = self.dit
        x = d.patch_embedding(torch.cat([latents, y], dim=1))
        pose = d.pose_patch_embedding(pose_latents)
        x = torch.cat([x[:, :, :1], x[:, :, 1:] + pose], dim=2)
        x = x.flatten(2).transpose(1, 2)
        e = d.time_embedding(sinusoid64(timestep, d.freq_dim))
        mod = d.time_projection(e).view(1, 1, 6, d.dim)
        ctx = torch.cat([d.img_emb(clip_features), d.text_embedding(context)], dim=1)
        return x, e, mod, ctx


class BlockPiece(nn.Module):
    """One block; its adapters scaled by the lora_scale input (parameter names block.*)."""

    def __init__(self, block):
        super().__init__()
        self.block = block
        self.adapters = [m for m in block.modules() if isinstance(m, LoraLinear)]

    def forward(self, x, mod, rope_cos, rope_sin, ctx, lora_scale):
        for a in self.adapters:
            a.scale = lora_scale
        try:
            return self.block(x, mod, rope_cos, rope_sin, ctx)
        finally:
            for a in self.adapters:
                a.scale = None


class FacePiece(nn.Module):
    """The face adapter's residual added (parameter names face.*)."""

    def __init__(self, face):
        super().__init__()
        self.face = face

    def forward(self, x, face_tokens):
        return x + self.face(x, face_tokens)


class HeadPiece(nn.Module):
    """The head and unpatchify; the sizes come from `latents` (parameter names dit.head.*)."""

    def __init__(self, dit):
        super().__init__()
        self.dit = dit

    def forward(self, x, e, latents):
        f, h2, w2 = latents.shape[2], latents.shape[3] // 2, latents.shape[4] // 2
        out = self.dit.head(x, e).reshape(f, h2, w2, 1, 2, 2, 16)
        return torch.einsum("fhwpqrc->cfphqwr", out).reshape(1, 16, f, h2 * 2, w2 * 2)


def block_template(cfg):
    """An Animate block with the relighting adapters on every Linear, as AnimateDiT puts them."""
    holder = AnimateDiT(dict(cfg, num_layers=0, lora_rank=0))
    holder.blocks.append(AnimateBlock(cfg["dim"], cfg["ffn_dim"], cfg["num_heads"], cfg["eps"]))
    if cfg.get("lora_rank"):
        holder._add_lora(cfg["lora_rank"], cfg["lora_alpha"])
    return holder.blocks[0]


def _value_info(name, t, axes):
    a = axes.get(name, {})
    return helper.make_tensor_value_info(name, _ELEM[t.dtype], [a.get(i, d) for i, d in enumerate(t.shape)])


def stitch_animate_dit(cfg, example_args, graphs_entry):
    """The dit graph's Stitcher. example_args: the ten inputs at the trace size; graphs_entry: (inputs, outputs, axes)."""
    in_names, out_names, axes = graphs_entry
    args = dict(zip(in_names, example_args))
    skeleton = AnimateDiT(dict(cfg, num_layers=0, lora_rank=0)).eval()
    st = Stitcher("dit")
    st.add_inputs([_value_info(n, args[n], axes) for n in in_names])
    piece_axes = dict(axes, x={1: "seq"}, out={1: "seq"})
    strip = lambda n: n[len("dit.") :]  # noqa: E731

    pro_in = ["latents", "y", "pose_latents", "timestep", "context", "clip_features"]
    prologue = Prologue(skeleton)
    traced = trace_piece(prologue, [args[n] for n in pro_in], pro_in, ["x", "e", "mod", "ctx"], piece_axes)
    produced = st.add(traced, {n: n for n in pro_in}, strip, prefix="prologue/")
    with torch.no_grad():
        x, e, mod, ctx = prologue(*[args[n] for n in pro_in])

    blk_in = ["x", "mod", "rope_cos", "rope_sin", "ctx", "lora_scale"]
    block = BlockPiece(block_template(cfg)).eval()
    blk_args = [x, mod, args["rope_cos"], args["rope_sin"], ctx, args["lora_scale"]]
    blk = trace_piece(block, blk_args, blk_in, ["out"], piece_axes)
    with torch.no_grad():
        x1 = block(*blk_args)
    face = FacePiece(FaceBlock(cfg["dim"], cfg["num_heads"])).eval()
    fce = trace_piece(face, [x1, args["face_tokens"]], ["x", "face_tokens"], ["out"], piece_axes)

    h = produced["x"]
    for i in range(cfg["num_layers"]):
        data = {"x": h, "mod": produced["mod"], "rope_cos": "rope_cos", "rope_sin": "rope_sin", "ctx": produced["ctx"], "lora_scale": "lora_scale"}
        h = st.add(blk, data, lambda n, i=i: f"blocks.{i}.{n[len('block.'):]}", prefix=f"block{i}/")["out"]
        if i % FACE_EVERY == 0:
            j = i // FACE_EVERY
            h = st.add(fce, {"x": h, "face_tokens": "face_tokens"}, lambda n, j=j: f"face_adapter.fuser_blocks.{j}.{n[len('face.'):]}", prefix=f"face{j}/")["out"]

    head = HeadPiece(skeleton)
    head_args = [x, e, args["latents"]]
    done = st.add(trace_piece(head, head_args, ["x", "e", "latents"], out_names, piece_axes), {"x": h, "e": produced["e"], "latents": "latents"}, strip, prefix="head/")
    with torch.no_grad():
        velocity = head(*head_args)
    st.set_outputs([_value_info(out_names[0], velocity, axes)], done)
    return st


class DiTWeights:
    """The DiT's weights for the stitched graph: base keys from the shards, the adapters from
    relighting_lora.ckpt, or zeros of the traced shape when the pack is made without it."""

    def __init__(self, shards, lora, shapes):
        self.shards, self.lora, self.shapes = shards, lora, shapes

    def load(self, key):
        if ".lora_A." in key or ".lora_B." in key:
            return self.lora[key] if self.lora else torch.zeros(self.shapes[key])
        return self.shards.load(key)


def check_dit_weights(ckpt, cfg):
    """The shards hold exactly the configured DiT's keys and shapes, and relighting_lora.ckpt exactly its
    adapters, checked from one-block templates (repeated per index): nothing is loaded."""
    skeleton = AnimateDiT(dict(cfg, num_layers=0, lora_rank=0))
    want = {k: t.shape for k, t in skeleton.state_dict().items()}
    block = {k: t.shape for k, t in block_template(cfg).state_dict().items()}
    face = {k: t.shape for k, t in FaceBlock(cfg["dim"], cfg["num_heads"]).state_dict().items()}
    adapters = set()
    for i in range(cfg["num_layers"]):
        for k, shape in block.items():
            if ".lora_" in k:
                adapters.add(f"blocks.{i}.{k}")
            else:
                want[f"blocks.{i}.{k}"] = shape
    for j in range(cfg["num_layers"] // FACE_EVERY):
        want.update({f"face_adapter.fuser_blocks.{j}.{k}": shape for k, shape in face.items()})
    _compare(want, ckpt.dit_view(), f"The DiT weights in {ckpt.root}")
    ckpt.check_lora(ckpt.lora_state(), adapters)


def write_animate_dit(ckpt, cfg, example_args, graphs_entry, out, dtype):
    """Writes dit.onnx and dit.weights; returns (onnx path, weights sha256)."""
    st = stitch_animate_dit(cfg, example_args, graphs_entry)
    weights = DiTWeights(ckpt.weights, ckpt.lora_state(), st.params)
    return st.write(out, weights, dtype, OPSETS)


__all__ = ["stitch_animate_dit", "write_animate_dit", "OPSETS"]
