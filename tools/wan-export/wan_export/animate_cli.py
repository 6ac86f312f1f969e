"""The --app animate branch of the command line: tiny, export and reference for Wan2.2-Animate-14B."""


def run_animate(args):
    if args.command == "tiny":
        from .animate_tiny import build_tiny_animate

        return build_tiny_animate(args.out, args.seed, args.wide, args.layers)
    from .animate_export import Modules, write_animate_reference
    from .animate_layout import AnimateCheckpoint

    if args.command == "export":
        from .animate_pack import export_animate_pack

        components = export_animate_pack(args.checkpoint, args.out, args.weights, args.name, args.version)
        return f"wrote the Animate pack to {args.out} ({', '.join(components)}, tokenizer, manifest.json); import that folder in the studio"
    cases = write_animate_reference(Modules(AnimateCheckpoint(args.checkpoint)), args.out)
    return f"wrote {len(cases)} reference cases to {args.out}"
