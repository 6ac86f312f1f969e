// Filled in by the foundation work: the wan-studio command line.
export {};
