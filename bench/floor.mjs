// The floor the CLI benchmark compares with: Node starting and loading the libraries permgen's
// `generate` and `check` load, doing nothing else. Prettier is not among them: permgen writes its
// output in prettier's layout itself, and loads prettier only to measure non-ASCII text, which
// `spec/` does not have.
await Promise.all([import("yaml"), import("ajv"), import("handlebars"), import("ts-morph"), import("diff")]);
