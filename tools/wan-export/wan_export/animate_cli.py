"""The --app animate branch of the command line: tiny, export and reference for Wan2.2-Animate-14B."""


def run_animate(args):
    if args.command == "tiny":
        from .animate_tiny import build_tiny_animate

        return build_tiny_animate(args.out, args.seed)
    from .animate_export import Modules, export_animate, write_animate_reference
    from .animate_layout import AnimateCheckpoint

    if args.command == "export":
        if args.weights != "float32":
            print("wan-export: the Animate graphs are written with float32 weights for now (fp16 storage comes with the streamed DiT export)")
        entries = export_animate(args.checkpoint, args.out)
        return f"wrote {', '.join(entries)} to {args.out}"
    cases = write_animate_reference(Modules(AnimateCheckpoint(args.checkpoint)), args.out)
    return f"wrote {len(cases)} reference cases to {args.out}"
