/**
 * The layers of docs/architecture.md, lowest first: a module may import from its own layer and
 * the layers below it, never above. `npm run lint` checks it (and that there are no circles).
 */
const LAYERS = [
  { name: "foundation", path: "^src/(?!cli\\.ts$)[^/]+\\.ts$" },
  { name: "image, data, render", path: "^src/(image|data|render)/" },
  { name: "generate, model, onnx", path: "^src/(generate|model|onnx)/" },
  { name: "train", path: "^src/train/" },
  { name: "export", path: "^src/export/" },
  { name: "infer", path: "^src/infer/" },
  { name: "evaluate", path: "^src/evaluate/" },
  { name: "pipeline", path: "^src/pipeline/" },
  {
    name: "cli, infra, lambdas, training container",
    path: "^(src/cli/|src/cli\\.ts$|infra/|lambdas/|training-container/)",
  },
];

/** Arrows against the grain that stay, each with its reason (docs/architecture.md). */
const EXCEPTIONS = [];

export default {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "an import circle: move what both sides need into a module below them",
      from: {},
      to: { circular: true },
    },
    ...LAYERS.slice(0, -1).map((layer, k) => ({
      name: `layer-${k}-imports-upwards`,
      severity: "error",
      comment: `${layer.name} may not import from a layer above it (see docs/architecture.md)`,
      from: { path: layer.path, pathNot: EXCEPTIONS.map((e) => e.from) },
      to: { path: LAYERS.slice(k + 1).map((above) => above.path) },
    })),
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|dist|cdk\\.out)" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
  },
};
