"""python3 -m wan_export {tiny,export,reference} ..."""
import argparse
import sys

from .errors import ExportError


def _steady_malloc():
    """glibc raises its mmap threshold each time a large block is freed, after which freed tensor
    buffers stay in the heap: streaming 40 blocks then grows RSS block by block. A fixed threshold
    returns every large buffer to the OS (measured: 32 wide blocks 1.18 GB -> 0.66 GB peak)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").mallopt(-3, 128 * 1024)  # M_MMAP_THRESHOLD
    except (OSError, AttributeError):
        pass  # not glibc: nothing to adjust


def main(argv=None):
    _steady_malloc()
    p = argparse.ArgumentParser(prog="python3 -m wan_export", description="Make Wan Studio model packs (format 2) from the official Wan2.2-S2V-14B folder.")
    sub = p.add_subparsers(dest="command", required=True)
    t = sub.add_parser("tiny", help="write a random-weight checkpoint folder with the official layout and key names at a tiny config")
    t.add_argument("--out", required=True)
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--wide", action="store_true", help="a DiT and umT5 1024 wide, for measuring the exporter's memory")
    t.add_argument("--layers", type=int, default=None, help="the DiT's number of blocks (with --wide: 33 MB of weights each, 36 MB for Animate)")
    t.add_argument("--app", choices=["s2v", "animate"], default="s2v", help="which release's layout: Wan2.2-S2V-14B or Wan2.2-Animate-14B")
    e = sub.add_parser("export", help="export a checkpoint folder into a pack folder")
    e.add_argument("--checkpoint", required=True, help="the Wan2.2-S2V-14B folder as published")
    e.add_argument("--out", required=True, help="the pack folder to write")
    e.add_argument("--components", default="text_encoder,dit,tokenizer,audio_encoder,vae", help="comma-separated: text_encoder, dit, tokenizer, audio_encoder, vae")
    e.add_argument("--weights", choices=["float16", "float32"], default="float16", help="precision of the stored DiT and umT5 weights (graph inputs and outputs are float32 either way; wav2vec2 and the VAE keep their fp32)")
    e.add_argument("--name", default=None, help="the pack's name in its manifest (default wan2.2-s2v-14b, or wan2.2-animate-14b with --app animate)")
    e.add_argument("--version", default=None, help="the pack's version in its manifest (default 2025.08-fp16 or 2025.08-fp32; Animate 2025.09-...)")
    e.add_argument("--app", choices=["s2v", "animate"], default="s2v", help="animate: the Animate graphs (clip_encoder, face_motion, face_encoder, dit) from a Wan2.2-Animate-14B folder")
    r = sub.add_parser("reference", help="write seeded inputs and our torch modules' outputs, for comparing exported graphs")
    r.add_argument("--checkpoint", required=True)
    r.add_argument("--out", required=True)
    r.add_argument("--components", default="text_encoder,dit,audio_encoder,vae")
    r.add_argument("--app", choices=["s2v", "animate"], default="s2v")
    args = p.parse_args(argv)
    try:
        if args.app == "animate":
            from .animate_cli import run_animate

            print(run_animate(args))
        elif args.command == "tiny":
            from .tiny import build_tiny

            print(build_tiny(args.out, args.seed, args.wide, args.layers))
        elif args.command == "export":
            from .export import export
            from .manifest import DEFAULT_NAME

            done = export(args.checkpoint, args.out, args.components.split(","), args.weights, args.name or DEFAULT_NAME, args.version)
            if done["pack"]:
                print(f"wrote the pack to {args.out} ({', '.join(done['components'])}, tokenizer, manifest.json); import that folder in the studio")
            else:
                print(f"wrote {', '.join(done['components'])} to {args.out} with export-report.json; this is not a pack (export every component for its manifest.json)")
        else:
            from .reference import write_reference

            cases = write_reference(args.checkpoint, args.out, args.components.split(","))
            print(f"wrote {len(cases)} reference cases to {args.out}")
    except ExportError as err:
        print(f"wan-export: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
