// Small helpers the benchmarks share: a median and a fixed-width table.
export function median(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** rows: [label, value, ratio] */
export function printTable(title, rows) {
  console.log(`\n${title}`);
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, value, ratio] of rows) {
    console.log(`  ${label.padEnd(width)}  ${value.toFixed(1).padStart(10)}  ${ratio.toFixed(2)}x`);
  }
}

/** A table with a header row; each column as wide as its widest cell, numbers right-aligned. */
export function printGrid(title, headers, rows) {
  console.log(`\n${title}`);
  const cells = [headers, ...rows].map((row) => row.map(String));
  const widths = headers.map((_, col) => Math.max(...cells.map((row) => row[col]?.length ?? 0)));
  for (const row of cells) {
    const line = row.map((cell, col) =>
      col === 0 ? cell.padEnd(widths[col]) : cell.padStart(widths[col]),
    );
    console.log(`  ${line.join("  ")}`);
  }
}
