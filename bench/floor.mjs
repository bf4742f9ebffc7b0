// The floor the CLI benchmark compares with: Node starting and loading the libraries permgen's
// `generate` and `check` load, doing nothing else.
await Promise.all([
  import("yaml"),
  import("ajv"),
  import("handlebars"),
  import("ts-morph"),
  import("prettier"),
  import("diff"),
]);
