"""Builds each exportable component's torch module from a checkpoint, with the graph interface it is
exported under (docs/model-pack.md, "Format 2: graph interfaces")."""
import torch

from .configs import MOTION_LATENTS, TEXT_LEN
from .dit import FirstBlock, HeadOnly, Rest, S2VDiT
from .layout import load_state
from .rope import rope_tables
from .t5 import T5Encoder


def t5_config(weights):
    blocks = {int(k.split(".")[1]) for k in weights.keys() if k.startswith("blocks.")}
    vocab, dim = weights.shape("token_embedding.weight")
    return dict(
        vocab=vocab, dim=dim, dim_attn=weights.shape("blocks.0.attn.q.weight")[0], dim_ffn=weights.shape("blocks.0.ffn.fc1.weight")[0],
        num_heads=weights.shape("blocks.0.pos_embedding.embedding.weight")[1], num_layers=len(blocks),
        num_buckets=weights.shape("blocks.0.pos_embedding.embedding.weight")[0],
    )


def build_text_encoder(ckpt):
    w = ckpt.t5_weights()
    cfg = t5_config(w)
    m = T5Encoder(**cfg)
    load_state(m, w, ckpt.path("models_t5_umt5-xxl-enc-bf16.pth"))
    return m.eval(), cfg


def build_dit(ckpt):
    cfg = ckpt.dit_config()
    m = S2VDiT(cfg)
    load_state(m, ckpt.dit_weights(), f"The DiT weights in {ckpt.root}")
    return m.eval(), cfg


# Example sizes the graphs are traced at (every size is symbolic in the exported graph).
TRACE = dict(latent_frames=2, lh=8, lw=8)


def dit_example(cfg, latent_frames, lh, lw, with_motion=True, seed=0):
    g = torch.Generator().manual_seed(seed)
    r = lambda *s: torch.randn(*s, generator=g)  # noqa: E731
    cos, sin = rope_tables(latent_frames, lh, lw, cfg["dim"] // cfg["num_heads"], with_motion)
    return dict(
        latents=r(1, 16, latent_frames, lh, lw), pose_latents=r(1, 16, latent_frames, lh, lw), ref_latents=r(1, 16, 1, lh, lw),
        motion_latents=r(1, 16, MOTION_LATENTS, lh, lw), timestep=torch.tensor([937.0]), context=r(1, TEXT_LEN, cfg["text_dim"]),
        audio=r(1, 4 * latent_frames, cfg["audio_dim"]), rope_cos=torch.from_numpy(cos), rope_sin=torch.from_numpy(sin),
    )


def text_example(seed=0, length=7, vocab=256384):
    g = torch.Generator().manual_seed(seed)
    ids = torch.zeros(1, TEXT_LEN, dtype=torch.int64)
    ids[0, : length - 1] = torch.randint(2, vocab, (length - 1,), generator=g)
    ids[0, length - 1] = 1  # </s>
    return dict(input_ids=ids)


LAT = {2: "latent_frames", 3: "lh", 4: "lw"}
DIT_AXES = dict(
    latents=LAT, pose_latents=LAT, ref_latents={3: "lh", 4: "lw"}, motion_latents={3: "lh", 4: "lw"}, audio={1: "audio_frames"},
    rope_cos={0: "seq"}, rope_sin={0: "seq"}, hidden={1: "seq"}, first_residual={1: "seq"}, rest_residual={1: "seq"}, velocity=LAT,
)
COND = ["timestep", "context", "audio", "rope_cos", "rope_sin"]

# name -> (wrapper, input names, output names)
DIT_GRAPHS = {
    "dit_first_block": (FirstBlock, ["latents", "pose_latents", "ref_latents", "motion_latents"] + COND, ["hidden", "first_residual"]),
    "dit_rest": (Rest, ["hidden", "latents"] + COND, ["velocity", "rest_residual"]),
    "dit_head": (HeadOnly, ["hidden", "latents", "timestep"], ["velocity"]),
}


def dit_graph_inputs(dit, name, example):
    """The example feeds of one DiT graph; `hidden` comes from running the earlier graph on the same example."""
    feeds = dict(example)
    if name != "dit_first_block":
        with torch.no_grad():
            hidden, _ = FirstBlock(dit)(*[example[k] for k in DIT_GRAPHS["dit_first_block"][1]])
        feeds["hidden"] = hidden
    return [feeds[k] for k in DIT_GRAPHS[name][1]]
