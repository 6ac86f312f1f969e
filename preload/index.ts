// Filled in by the foundation work: exposes window.studio over IPC.
export {};
