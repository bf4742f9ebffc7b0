// The floor the CLI benchmark compares with: Node starting and loading the libraries permgen's
// `generate` and `check` load, doing nothing else. Prettier loads the plugins for each language
// only when it first formats one, so the plugins permgen's output needs are loaded here too.
await Promise.all([
  import("yaml"),
  import("ajv"),
  import("handlebars"),
  import("ts-morph"),
  import("prettier"),
  import("prettier/plugins/typescript"),
  import("prettier/plugins/estree"),
  import("prettier/plugins/babel"),
  import("prettier/plugins/markdown"),
  import("diff"),
]);
