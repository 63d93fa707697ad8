/**
 * Import-graph rules for lib/ (type-only imports count too): no cycles, and
 * dependencies point down the layer table of shared/DESIGN.md. A lower layer
 * that needs something of a higher one gets a port (an interface) in its
 * constructor instead of importing it.
 */

// Top first. Folders on one line are peers: neither imports the other.
const LAYERS = [
  ["testing", "cli", "gateway"],
  ["broker"],
  ["metrics", "tracing"],
  ["channels"],
  ["middleware"],
  ["transit"],
  ["discoverers"],
  ["registry"],
  ["strategies"],
  ["service"],
  ["transporters", "serializers", "cachers"],
  ["validation"],
  ["decorators"],
  ["context"],
  ["utils"],
  ["errors"],
];

const upward = LAYERS.flatMap((layer, rank) =>
  layer.map((folder) => {
    const notBelow = LAYERS.slice(0, rank + 1)
      .flat()
      .filter((other) => other !== folder);
    return {
      name: `layer-${folder}`,
      severity: "error",
      comment: `lib/${folder}/ may import only folders below it in the layer table (shared/DESIGN.md).`,
      from: { path: `^lib/${folder}/` },
      to: { path: `^lib/(${notBelow.join("|")})/` },
    };
  }),
);

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "A lower layer gets a port (an interface) in its constructor instead of importing a higher one.",
      from: { path: "^lib/" },
      to: { circular: true },
    },
    ...upward,
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    exclude: { path: "^(node_modules|dist)/" },
  },
};
