"""A torch reference of the studio's local Animate pipeline up to one clip's clean latents, for the
end-to-end test (test/integration/export/animateExportedRender.test.ts). It reads the studio's AnimateJob
(common/animate/animateJob.ts: the raw frame files, sizes, sampling) and runs our torch modules (not the
exported graphs) through the official orchestration of wan/animate.py WanAnimate.generate, clip k:

- every sequence padded to the whole-clip length by the official ping-pong (inputs_padding, get_valid_len);
- pixels u8 / 127.5 - 1; CLIP on the letterboxed reference (bicubic 224, CLIP mean/std, inside ClipEncoder);
- y_ref = [4 mask channels of ones | VAE(reference)]; pose latents = VAE(the clip's pose frames);
- y_reft, first clip: animation = [mask 0 | VAE(clip_len grey zero frames)]; replacement = [get_i2v_mask of
  (1 - mask) at latent size, nearest | VAE(the clip's background frames)]; a later clip's first refert_num
  frames are the guidance frames (mask 1), as the previous clip's last decoded frames;
- face tokens = face_encoder(face_motion(the clip's face crops)); CFG only when guide_scale > 1, its
  unconditional branch with the negative prompt and face pixels -1;
- noise: the studio's generator (common/random/gaussianNoise.ts) seeded once with the job seed, clip k =
  the (k+1)-th 16 x (lat_t + 1) x h x w draws; timesteps int64(sigma * 1000) in float64; DPM++ 2M or UniPC;
- lora_scale as the job says (0 in animation mode, 1 in replacement mode).

    python3 -m wan_export.animate_pipeline_reference REF.json OUT.f32 [REPORT.json]

REF.json: {"job": the AnimateJob as the worker receives it, "checkpoint": the Wan2.2-Animate-14B folder,
"ids" / "negIds": the studio's umT5 ids of job.prompt / job.negativePrompt (512 each), and for a clip k > 0
"clip": k and "guideRgb": the refert_num guidance frames (W x H RGB24) the studio gave it: the official
pipeline takes the previous clip's decoded frames in float, the studio (and so this reference) the frames it
wrote, so the clip is compared with the same guidance}. OUT.f32: the clean
latents [1, 16, lat_t + 1, H/8, W/8] (the reference latent first) as float32 little-endian. REPORT.json:
the shapes, timesteps and how many DiT calls each branch made.
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

from .animate_export import Modules, animate_rope_tables
from .animate_layout import AnimateCheckpoint
from .components import build_text_encoder
from .configs import TEXT_LEN
from .errors import ExportError
from .pipeline_reference import GaussianNoise, dpm_sigmas, dpm_step
from .unipc_reference import UniPC, unipc_schedule
from .vae_export import build_vae


def inputs_padding(frames, target_len):
    """wan/animate.py inputs_padding: forwards, backwards, forwards... until target_len items."""
    idx, flip, out = 0, False, []
    while len(out) < target_len:
        out.append(frames[idx])
        idx += -1 if flip else 1
        if idx == 0 or idx == len(frames) - 1:
            flip = not flip
    return out[:target_len]


def valid_len(real_len, clip_len, overlap):
    """wan/animate.py get_valid_len: the length of whole clips advancing by clip_len - overlap."""
    step = clip_len - overlap
    rest = (real_len - overlap) % step
    return real_len + (0 if rest == 0 else step - rest)


def read_frames(path, frames, h, w, channels, what):
    want = frames * h * w * channels
    size = os.path.getsize(path)
    if size != want:
        raise ExportError(f"{what} ({path}) has {size} bytes; {frames} frames of {w}x{h}x{channels} are {want}.")
    return np.fromfile(path, dtype=np.uint8).reshape(frames, h, w, channels)


def clip_frames(job, key, h, w, channels, start):
    """A clip's frames of one sequence file, after the official padding: [clip_len, h, w, c] uint8."""
    real = read_frames(job[key], job["realLen"], h, w, channels, key)
    padded = inputs_padding(list(real), valid_len(job["realLen"], job["clipLen"], job["refertNum"]))
    if start + job["refertNum"] >= len(padded):
        raise ExportError(f"a clip starting at padded frame {start} is past the job's {len(padded)} padded frames")
    return np.stack(padded[start : start + job["clipLen"]])


def pixels(u8):
    """[t, h, w, c] uint8 -> [1, c, t, h, w] in [-1, 1], as the official batch (x / 127.5 - 1)."""
    return torch.from_numpy(u8.astype(np.float64) / 127.5 - 1).float().permute(3, 0, 1, 2).unsqueeze(0)


def i2v_mask(mask, lat_t, mask_len):
    """wan/animate.py get_i2v_mask: [1, 1 + 4(lat_t - 1), h, w] per-frame mask -> [4, lat_t, h, w] (frame 0 four times)."""
    msk = mask.clone()
    msk[:, :mask_len] = 1
    msk = torch.cat([msk[:, 0:1].repeat_interleave(4, dim=1), msk[:, 1:]], dim=1)
    return msk.view(1, msk.shape[1] // 4, 4, msk.shape[2], msk.shape[3]).transpose(1, 2)[0]


def ids_tensor(ids, what):
    if len(ids) > TEXT_LEN or not all(isinstance(i, int) and i >= 0 for i in ids):
        raise ExportError(f"{what}: {TEXT_LEN} or fewer non-negative token ids expected")
    return torch.tensor([list(ids) + [0] * (TEXT_LEN - len(ids))], dtype=torch.int64)


def schedule(solver, steps, shift):
    """(int timesteps, float32 sigmas + final 0 as float64, sampler) as wan/animate.py sets them up."""
    if solver == "unipc":
        timesteps, sigmas = unipc_schedule(steps, shift)
        return timesteps, sigmas, UniPC(sigmas)
    if solver == "dpm++":
        sig64 = dpm_sigmas(steps, shift)
        sigmas = np.concatenate([sig64, [0.0]]).astype(np.float32).astype(np.float64)
        return (sig64 * 1000).astype(np.int64), sigmas, DpmSampler(sigmas)
    raise ExportError(f"solver {solver!r}: wan/animate.py samples with 'unipc' or 'dpm++' only")


class DpmSampler:
    def __init__(self, sigmas):
        self.sigmas, self.index, self.prev = sigmas, 0, None

    def step(self, v, x):
        out, self.prev = dpm_step(self.index, self.sigmas, v, x, self.prev)
        self.index += 1
        return out


def conditions(m, vae, job, h, w, start, guide):
    """Everything the DiT sees besides the latents and the prompt, for the clip at `start` whose guidance
    frames are `guide` (None for the first clip): y, pose latents, CLIP features, face pixels."""
    clip_len, lat_t = job["clipLen"], job["clipLen"] // 4 + 1
    lh, lw = h // 8, w // 8
    r = 0 if guide is None else job["refertNum"]
    ref = pixels(read_frames(job["refRgb"], 1, h, w, 3, "refRgb"))[:, :, 0]  # [1, 3, H, W]
    pose = pixels(clip_frames(job, "poseRgb", h, w, 3, start))
    face = pixels(clip_frames(job, "faceRgb", job["faceSize"], job["faceSize"], 3, start))[0].transpose(0, 1)  # [T, 3, S, S]
    with torch.no_grad():
        clip_features = m.wrappers["clip_encoder"](ref)
        ref_latents = vae.encode(ref.unsqueeze(2))
        pose_latents = vae.encode(pose)
        y_ref = torch.cat([i2v_mask(torch.zeros(1, 1, lh, lw), 1, 1).unsqueeze(0), ref_latents], dim=1)
        guides = None if guide is None else pixels(guide)  # [1, 3, r, H, W]
        if job["mode"] == "replacement":
            background = pixels(clip_frames(job, "backgroundRgb", h, w, 3, start))
            if guides is not None:
                background = torch.cat([guides, background[:, :, r:]], dim=2)
            mask = torch.from_numpy(clip_frames(job, "maskGray", h, w, 1, start).astype(np.float64) / 255).float()  # [T, H, W, 1]
            keep = F.interpolate(1 - mask.permute(0, 3, 1, 2), size=(lh, lw), mode="nearest")[:, 0].unsqueeze(0)  # [1, T, lh, lw]
            msk_reft, reft_latents = i2v_mask(keep, lat_t, r), vae.encode(background)
        else:
            video = torch.zeros(1, 3, clip_len, h, w)
            if guides is not None:  # the official resizes them bicubic to (H, W): the same size, so unchanged
                video[:, :, :r] = F.interpolate(guides[0], size=(h, w), mode="bicubic").unsqueeze(0)
            msk_reft = i2v_mask(torch.zeros(1, clip_len, lh, lw), lat_t, r)
            reft_latents = vae.encode(video)
        y = torch.cat([y_ref, torch.cat([msk_reft.unsqueeze(0), reft_latents], dim=1)], dim=2)
    return dict(y=y, pose_latents=pose_latents, clip_features=clip_features, face=face, lat_t=lat_t)


def face_tokens(m, face):
    with torch.no_grad():
        return m.wrappers["face_encoder"](m.wrappers["face_motion"](face).unsqueeze(0))


def check_job(job, m):
    if job["faceSize"] != m.face_size:
        raise ExportError(f"faceSize {job['faceSize']}: the checkpoint's motion encoder takes {m.face_size} x {m.face_size} face crops")
    if (job["mode"] == "replacement") != (job.get("backgroundRgb") is not None):
        raise ExportError("backgroundRgb and maskGray are given in replacement mode only")
    if job["width"] % 16 or job["height"] % 16 or (job["clipLen"] - 1) % 4:
        raise ExportError("width and height must be multiples of 16 and clipLen 4n+1")


def guide_frames(ref_job, h, w):
    """A later clip's guidance frames [r, H, W, 3] uint8 (None for clip 0)."""
    if ref_job.get("clip", 0) == 0:
        return None
    if not ref_job.get("guideRgb"):
        raise ExportError(f"clip {ref_job['clip']} needs guideRgb: the {ref_job['job']['refertNum']} guidance frames the studio used")
    return read_frames(ref_job["guideRgb"], ref_job["job"]["refertNum"], h, w, 3, "guideRgb")


def clip_latents(ref_job):
    """Returns (clip k's clean latents [1, 16, lat_t + 1, lh, lw] float32, report)."""
    job = ref_job["job"]
    k = ref_job.get("clip", 0)
    ckpt = AnimateCheckpoint(ref_job["checkpoint"])
    m = Modules(ckpt)
    check_job(job, m)
    vae, _ = build_vae(ckpt)
    h, w = job["height"], job["width"]
    lh, lw = h // 8, w // 8
    c = conditions(m, vae, job, h, w, k * (job["clipLen"] - job["refertNum"]), guide_frames(ref_job, h, w))
    lat_t = c["lat_t"]
    guided = job["guideScale"] > 1
    t5, _ = build_text_encoder(ckpt)
    with torch.no_grad():
        context = t5(ids_tensor(ref_job["ids"], "ids"))
        neg_context = t5(ids_tensor(ref_job["negIds"], "negIds")) if guided else None
    cond_face = face_tokens(m, c["face"])
    uncond_face = face_tokens(m, c["face"] * 0 - 1) if guided else None
    cos, sin = animate_rope_tables(lat_t + 1, lh, lw, m.cfg["dim"] // m.cfg["num_heads"])
    lora = torch.tensor([float(job["loraScale"])])
    calls = {"cond": 0, "uncond": 0}

    def velocity(x, t, ctx, faces, branch):
        calls[branch] += 1
        with torch.no_grad():
            v = m.dit(x, c["y"], c["pose_latents"], t, ctx, c["clip_features"], faces, cos, sin, lora)
        return v.numpy().astype(np.float64)

    timesteps, sigmas, sampler = schedule(job["solver"], job["steps"], job["shift"])
    shape = (1, 16, lat_t + 1, lh, lw)
    n = int(np.prod(shape))
    x = GaussianNoise(job["seed"]).fill(n * (k + 1))[k * n :].astype(np.float64).reshape(shape)  # one stream: clip k's draws follow clip k-1's
    for i in range(job["steps"]):
        xt = torch.from_numpy(x.astype(np.float32))
        t = torch.tensor([float(timesteps[i])])
        v = velocity(xt, t, context, cond_face, "cond")
        if guided:
            vu = velocity(xt, t, neg_context, uncond_face, "uncond")
            v = vu + job["guideScale"] * (v - vu)
        x = sampler.step(v, x).astype(np.float32).astype(np.float64)  # the studio keeps latents in float32 between steps
    report = {"shape": list(shape), "timesteps": [int(t) for t in timesteps], "sigmas": [float(s) for s in sigmas], "ditCalls": calls,
              "y": list(c["y"].shape), "poseLatents": list(c["pose_latents"].shape), "faceTokens": list(cond_face.shape)}
    return x.astype(np.float32), report


def main(argv):
    if len(argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[0], encoding="utf-8") as f:
        ref_job = json.load(f)
    try:
        latents, report = clip_latents(ref_job)
    except ExportError as err:
        print(f"animate reference: {err}", file=sys.stderr)
        return 2
    latents.astype("<f4").tofile(argv[1])
    if len(argv) == 3:
        with open(argv[2], "w", encoding="utf-8") as f:
            json.dump(report, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
