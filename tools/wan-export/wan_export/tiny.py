"""--tiny: a random-weight checkpoint folder with the official file layout and state-dict keys at a
tiny config, for tests and for trying the exporter without the 60 GB download."""
import os

import torch

from .audio import AudioFeatures
from .configs import DIT_TINY, T5_TINY, write_json
from .dit import S2VDiT
from .layout import DIT_INDEX, T5_FILE, TOKENIZER_FILE, VAE_FILE, WAV2VEC_DIR
from .safetensors_io import write_safetensors
from .t5 import T5Encoder
from .vae import VAE_TINY, WanVAE


def _randomize(module, seed):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in module.named_parameters():
            # Every weight random and non-zero (the release zero-inits some): a wrong wiring shows.
            scale = 1.0 if p.dim() < 2 else p.shape[-1] ** -0.5 if p.dim() == 2 else (p[0].numel()) ** -0.5
            if name.endswith("norm_q.weight") or name.endswith("norm_k.weight") or name.endswith("norm.weight") or name.endswith("norm1.weight") or name.endswith("norm2.weight") or name.endswith("norm3.weight"):
                p.copy_(1.0 + 0.1 * torch.randn(p.shape, generator=g))
            else:
                p.copy_(scale * torch.randn(p.shape, generator=g) * (0.5 if p.dim() < 2 else 1.0))


# For measuring the exporter's memory: a DiT 1024 wide (33 MB of bf16 weights per block; 16 blocks
# by default, 0.6 GB) and a umT5 1024 wide with the real 256k vocabulary (a 0.5 GB embedding: the
# largest single tensor, as umT5-XXL's 2.1 GB one is in the release).
DIT_WIDE = dict(DIT_TINY, dim=1024, ffn_dim=4096, num_heads=8, num_layers=16, text_dim=1024)
T5_WIDE = dict(T5_TINY, dim=1024, dim_attn=1024, dim_ffn=2816, num_heads=16)


def build_tiny(out, seed=0, wide=False, layers=None):
    os.makedirs(out, exist_ok=True)
    dit_cfg = DIT_WIDE if wide else DIT_TINY
    if layers is not None:
        # An audio injector after every 4th block, as the release has about (12 of 40).
        dit_cfg = dict(dit_cfg, num_layers=layers, audio_inject_layers=list(range(0, layers, 4)))
    dit = S2VDiT(dit_cfg)
    _randomize(dit, seed)
    write_sharded_dit(out, {k: v.to(torch.bfloat16) for k, v in dit.state_dict().items()})
    config = {"_class_name": "WanModel_S2V", "_diffusers_version": "0.33.0"}
    config.update({k: v for k, v in dit_cfg.items()})
    write_json(os.path.join(out, "config.json"), config)

    del dit
    _tiny_wav2vec(os.path.join(out, WAV2VEC_DIR), seed + 2)
    write_shared_tiny(out, seed, wide)
    return out


def write_shared_tiny(out, seed, wide=False):
    """umT5, the Wan 2.1 VAE and the tokenizer: the files the S2V and Animate releases share, drawn from
    the same seeds for both tiny checkpoints (so their packs share these files too)."""
    t5 = T5Encoder(**(T5_WIDE if wide else T5_TINY))
    _randomize(t5, seed + 1)
    torch.save({k: v.to(torch.bfloat16) for k, v in t5.state_dict().items()}, os.path.join(out, T5_FILE))
    del t5
    vae = WanVAE(VAE_TINY)
    _randomize(vae, seed + 3)
    torch.save(vae.state_dict(), os.path.join(out, VAE_FILE))  # fp32, as released
    _tiny_tokenizer(os.path.join(out, TOKENIZER_FILE))


def _tiny_tokenizer(path):
    """A small tokenizer.json in the umT5 layout (Unigram; pad 0, </s> 1, unk 2; </s> appended, no BOS)."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    special = [("<pad>", 0), ("</s>", 1), ("<unk>", 2)]
    pieces = [["<pad>", 0.0], ["</s>", 0.0], ["<unk>", 0.0], ["\u2581", -2.0]] + [[c, -3.0 - i * 0.01] for i, c in enumerate("abcdefghijklmnopqrstuvwxyz")]
    meta = {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True}
    write_json(path, {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [{"id": i, "content": c, "single_word": False, "lstrip": False, "rstrip": False, "normalized": False, "special": True} for c, i in special],
        "normalizer": None, "pre_tokenizer": meta,
        "post_processor": {"type": "TemplateProcessing", "single": [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}}],
                           "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}}],
                           "special_tokens": {"</s>": {"id": "</s>", "ids": [1], "tokens": ["</s>"]}}},
        "decoder": meta, "model": {"type": "Unigram", "unk_id": 2, "vocab": pieces, "byte_fallback": False},
    })


# wav2vec2-large-xlsr-53's structure (7 convs, 24 pre-norm layers, 128-tap positional conv) at width 16.
WAV2VEC_TINY = dict(
    conv_dim=[8] * 7, conv_kernel=[10, 3, 3, 3, 3, 2, 2], conv_stride=[5, 2, 2, 2, 2, 2, 2], conv_bias=True, hidden_size=DIT_TINY["audio_dim"],
    num_attention_heads=2, num_hidden_layers=24, intermediate_size=32, num_conv_pos_embeddings=128, num_conv_pos_embedding_groups=16,
    layer_norm_eps=1e-5,
)


def _tiny_wav2vec(folder, seed):
    os.makedirs(folder, exist_ok=True)
    m = AudioFeatures(WAV2VEC_TINY)
    _randomize(m, seed)
    state = {k: v for k, v in m.state_dict().items() if k != "layer_mix"}
    # What Wav2Vec2ForCTC also saves, which the exporter ignores.
    g = torch.Generator().manual_seed(seed)
    state["wav2vec2.masked_spec_embed"] = torch.rand(WAV2VEC_TINY["hidden_size"], generator=g)
    state["lm_head.weight"] = torch.randn(32, WAV2VEC_TINY["hidden_size"], generator=g)
    state["lm_head.bias"] = torch.zeros(32)
    write_safetensors(os.path.join(folder, "model.safetensors"), state)
    config = dict(WAV2VEC_TINY, architectures=["Wav2Vec2ForCTC"], model_type="wav2vec2", feat_extract_norm="layer", do_stable_layer_norm=True, feat_extract_activation="gelu", hidden_act="gelu", vocab_size=32)
    write_json(os.path.join(folder, "config.json"), config)
    write_json(os.path.join(folder, "preprocessor_config.json"), {"do_normalize": True, "feature_size": 1, "padding_side": "right", "padding_value": 0.0, "return_attention_mask": True, "sampling_rate": 16000})


def write_sharded_dit(out, state):
    """The DiT's bf16 state in two shards and an index, as the releases ship theirs (four, and six for Animate)."""
    keys = sorted(state)
    halves = [keys[: len(keys) // 2], keys[len(keys) // 2 :]]
    weight_map = {}
    for i, part in enumerate(halves):
        shard = f"diffusion_pytorch_model-{i + 1:05d}-of-{len(halves):05d}.safetensors"
        write_safetensors(os.path.join(out, shard), {k: state[k] for k in part})
        weight_map.update({k: shard for k in part})
    write_json(os.path.join(out, DIT_INDEX), {"metadata": {"total_size": sum(t.numel() * 2 for t in state.values())}, "weight_map": weight_map})
