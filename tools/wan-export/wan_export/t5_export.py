"""Streams the umT5 encoder into text_encoder.onnx without loading it: prologue (embedding, mask),
one block template stitched per layer, final norm; weights read one tensor at a time from the .pth."""
import torch
from onnx import TensorProto, helper

from .components import t5_config, text_example
from .configs import TEXT_LEN
from .layout import _compare
from .stitch import Stitcher, trace_piece
from .t5 import T5BlockPiece, T5Encoder, T5Epilogue, T5Prologue

# The embedding is traced at a stand-in vocabulary (a Gather works at any size): the 256k x 4096
# table is never allocated.
_STAND_IN_VOCAB = 1024


def check_t5_keys(cfg, weights, where):
    skeleton = T5Encoder(**dict(cfg, vocab=_STAND_IN_VOCAB, num_layers=1))
    want = {}
    for key, t in skeleton.state_dict().items():
        if key.startswith("blocks.0."):
            want.update({f"blocks.{i}.{key[9:]}": t.shape for i in range(cfg["num_layers"])})
        else:
            want[key] = t.shape
    want["token_embedding.weight"] = torch.Size([cfg["vocab"], cfg["dim"]])
    _compare(want, weights, where)


def stitch_t5(weights, where):
    cfg = t5_config(weights)
    check_t5_keys(cfg, weights, where)
    enc = T5Encoder(**dict(cfg, vocab=_STAND_IN_VOCAB, num_layers=1)).eval()
    ids = text_example(vocab=_STAND_IN_VOCAB)["input_ids"]
    st = Stitcher("text_encoder")
    st.add_inputs([helper.make_tensor_value_info("input_ids", TensorProto.INT64, [1, TEXT_LEN])])

    def strip(prefix):
        return lambda name: name[len(prefix) :]

    pro = T5Prologue(enc)
    p = st.add(trace_piece(pro, [ids], ["input_ids"], ["x", "mask_bias", "keep", "buckets"], {}), {"input_ids": "input_ids"}, strip("enc."), "prologue/", any_shape=("token_embedding.weight",))
    with torch.no_grad():
        x, mask_bias, keep, buckets = pro(ids)
    block = trace_piece(T5BlockPiece(enc.blocks[0]), [x, mask_bias, buckets], ["x", "mask_bias", "buckets"], ["y"], {})
    h = p["x"]
    for i in range(cfg["num_layers"]):
        h = st.add(block, {"x": h, "mask_bias": p["mask_bias"], "buckets": p["buckets"]}, lambda n, i=i: f"blocks.{i}.{n[len('block.'):]}", f"block{i}/")["y"]
    epi = T5Epilogue(enc)
    done = st.add(trace_piece(epi, [x, keep], ["x", "keep"], ["context"], {}), {"x": h, "keep": p["keep"]}, strip(""), "final/")
    st.set_outputs([helper.make_tensor_value_info("context", TensorProto.FLOAT, [1, TEXT_LEN, cfg["dim"]])], done)
    return st
