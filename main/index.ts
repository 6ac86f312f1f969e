// Filled in by the foundation work: the thin Electron entry.
export {};
