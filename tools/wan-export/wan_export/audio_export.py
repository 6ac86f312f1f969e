"""audio_encoder.onnx from the wav2vec2 folder and the DiT's layer mix."""
import os

import torch
import torch.nn.functional as F
from onnx import TensorProto, helper

from .audio import AudioFeatures, Wav2VecWeights, read_wav2vec_config
from .errors import ExportError
from .layout import WAV2VEC_DIR, _compare, load_state
from .stitch import Stitcher, trace_piece

TRACE_SAMPLES = 16000


def layer_mix(dit_weights, layers):
    """SiLU(w) / sum SiLU(w) of the DiT's casual_audio_encoder.weights: [layers + 1]."""
    w = F.silu(dit_weights.load("casual_audio_encoder.weights").float()).flatten()
    if w.numel() != layers + 1:
        raise ExportError(f"The DiT mixes {w.numel()} wav2vec2 hidden states but the wav2vec2 folder has {layers} layers (+1 embedding output): they are not from the same release.")
    return w / w.sum()


def audio_weights(ckpt):
    folder = ckpt.path(WAV2VEC_DIR)
    cfg = read_wav2vec_config(folder)
    return cfg, Wav2VecWeights(folder, layer_mix(ckpt.dit_weights(), cfg["num_hidden_layers"]))


def build_audio(ckpt):
    cfg, weights = audio_weights(ckpt)
    m = AudioFeatures(cfg)
    load_state(m, weights, ckpt.path(WAV2VEC_DIR))
    return m.eval(), cfg


def stitch_audio(ckpt):
    cfg, weights = audio_weights(ckpt)
    skeleton = AudioFeatures(cfg).eval()
    _compare({k: t.shape for k, t in skeleton.state_dict().items()}, weights, os.path.join(ckpt.path(WAV2VEC_DIR), ""))
    wave = torch.randn(1, TRACE_SAMPLES, generator=torch.Generator().manual_seed(0)) * 0.1
    piece = trace_piece(skeleton, [wave], ["waveform"], ["audio_features"], {"waveform": {1: "samples"}, "audio_features": {1: "audio_steps"}})
    st = Stitcher("audio_encoder")
    st.add_inputs([helper.make_tensor_value_info("waveform", TensorProto.FLOAT, [1, "samples"])])
    done = st.add(piece, {"waveform": "waveform"}, lambda n: n, "wav2vec2/")
    st.set_outputs([helper.make_tensor_value_info("audio_features", TensorProto.FLOAT, [1, "audio_steps", cfg["hidden_size"]])], done)
    return st, weights
