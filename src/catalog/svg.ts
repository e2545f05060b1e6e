/**
 * The catalog's pictures, drawn at build time as inline SVG (no script, no library, no font
 * fetched): the domain as systems → topics → events, and the entity reference graph of the
 * test-data process (who refers to whom, so what a ClientAccount's deletion reaches).
 * Layout is computed here, deterministically, from text lengths estimated per character.
 */

import { escapeHtml as esc } from "./html-escape.js";

/** A node of a column picture: its label, an optional link and the nodes of the next column it leads to. */
export interface TreeNode {
  label: string;
  href?: string;
  children: TreeNode[];
}

const FONT = 13;
const CHAR = 7.4;
const ROW = 24;
const GAP = 56;
const PAD = 8;

const width = (text: string) => Math.ceil(text.length * CHAR) + 2 * PAD;

/**
 * Columns left to right (roots, their children, theirs), each node a labelled box joined to its
 * parent by a curve. Leaves are stacked one row each; a parent sits at the middle of its leaves.
 */
export function columnsSvg(roots: readonly TreeNode[], title: string, description: string): string {
  const depthWidths: number[] = [];
  const placed: { node: TreeNode; depth: number; y: number; parentY?: number }[] = [];
  let row = 0;
  const place = (node: TreeNode, depth: number): { y: number; parentY?: number } => {
    depthWidths[depth] = Math.max(depthWidths[depth] ?? 0, width(node.label));
    const children = node.children.map((c) => place(c, depth + 1));
    const y = children.length === 0 ? row++ * ROW : ((children[0]?.y as number) + (children.at(-1)?.y as number)) / 2;
    for (const c of children) c.parentY = y;
    const p: { node: TreeNode; depth: number; y: number; parentY?: number } = { node, depth, y };
    placed.push(p);
    return p;
  };
  for (const r of roots) {
    place(r, 0);
    row += 0.5;
  }
  const xs = offsets(depthWidths, GAP);
  const totalW = (xs.at(-1) ?? 0) + (depthWidths.at(-1) ?? 0) + 2;
  const totalH = Math.ceil(row * ROW) + 4;
  const box = (d: number, y: number) => ({ x: (xs[d] as number) + 1, y: y + 2, w: depthWidths[d] as number, h: ROW - 6 });
  const parts: string[] = [];
  for (const p of placed) {
    if (p.parentY === undefined || p.depth === 0) continue;
    const a = box(p.depth - 1, p.parentY);
    const b = box(p.depth, p.y);
    const [x1, y1, x2, y2] = [a.x + a.w, a.y + a.h / 2, b.x, b.y + b.h / 2];
    const mid = (x1 + x2) / 2;
    parts.push(`<path class="edge" d="M${x1} ${y1}C${mid} ${y1} ${mid} ${y2} ${x2} ${y2}"/>`);
  }
  for (const p of [...placed].sort((a, b) => a.depth - b.depth || a.y - b.y)) {
    const b = box(p.depth, p.y);
    const shape = `<rect class="node d${p.depth}" x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" rx="4"/><text x="${b.x + PAD}" y="${b.y + b.h / 2 + FONT / 2 - 2}">${esc(p.node.label)}</text>`;
    parts.push(p.node.href ? `<a href="${esc(p.node.href)}">${shape}</a>` : shape);
  }
  // A picture whose boxes are links is a group of links to assistive technology, not one image.
  return svg(totalW, totalH, title, description, parts, placed.some((p) => p.node.href) ? "group" : "img");
}

/** One edge of a graph: `from` refers to `to`. */
export interface GraphEdge {
  from: string;
  to: string;
  optional?: boolean;
}

/**
 * A layered picture of a reference graph: the root (what everything leads to) on the left, each
 * node in the column of its shortest distance from it along the references, arrows from referrer
 * to referenced. Optional references are dashed.
 */
export function graphSvg(nodes: readonly string[], edges: readonly GraphEdge[], root: string, title: string, description: string): string {
  const layer = new Map<string, number>([[root, 0]]);
  const queue = [root];
  while (queue.length > 0) {
    const n = queue.shift() as string;
    for (const e of edges) {
      if (e.to === n && !layer.has(e.from)) {
        layer.set(e.from, (layer.get(n) as number) + 1);
        queue.push(e.from);
      }
    }
  }
  const deepest = Math.max(0, ...layer.values());
  for (const n of nodes) if (!layer.has(n)) layer.set(n, deepest + 1);
  const columns: string[][] = [];
  for (const n of nodes) {
    const i = layer.get(n) as number;
    columns[i] = [...(columns[i] ?? []), n];
  }
  const colW = columns.map((c) => Math.max(...c.map(width)));
  const GRAPH_ROW = 40;
  const xs = offsets(colW, 70);
  const tallest = Math.max(...columns.map((c) => c.length));
  const pos = new Map<string, { x: number; y: number; w: number }>();
  columns.forEach((c, i) => {
    const offset = ((tallest - c.length) * GRAPH_ROW) / 2;
    c.forEach((n, j) => {
      pos.set(n, { x: (xs[i] as number) + 1, y: offset + j * GRAPH_ROW + 10, w: colW[i] as number });
    });
  });
  const h = ROW - 4;
  const parts: string[] = [
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" class="arrowhead"/></marker></defs>',
  ];
  for (const e of edges) {
    const a = pos.get(e.from);
    const b = pos.get(e.to);
    if (!a || !b) continue;
    // From the referrer's left side to the referenced one's right side (references point left).
    const leftward = b.x < a.x;
    const [x1, y1] = [leftward ? a.x : a.x + a.w, a.y + h / 2];
    const [x2, y2] = [leftward ? b.x + b.w : b.x, b.y + h / 2];
    const bend = a.x === b.x ? 40 : 0;
    const c1 = leftward ? x1 - 30 - bend : x1 + 30 + bend;
    const c2 = leftward ? x2 + 30 + bend : x2 - 30 - bend;
    parts.push(
      `<path class="edge${e.optional ? " optional" : ""}" marker-end="url(#arrow)" d="M${x1} ${y1}C${c1} ${y1} ${c2} ${y2} ${x2} ${y2}"><title>${esc(`${e.from} refers to ${e.to}${e.optional ? " (optional)" : ""}`)}</title></path>`,
    );
  }
  for (const n of nodes) {
    const p = pos.get(n) as { x: number; y: number; w: number };
    parts.push(
      `<rect class="node${n === root ? " root" : ""}" x="${p.x}" y="${p.y}" width="${p.w}" height="${h}" rx="4"/><text x="${p.x + PAD}" y="${p.y + h / 2 + FONT / 2 - 2}">${esc(n)}</text>`,
    );
  }
  const totalW = (xs.at(-1) ?? 0) + (colW.at(-1) ?? 0) + 2;
  return svg(totalW, tallest * GRAPH_ROW + 16, title, description, parts);
}

/** The left edge of each column: the widths before it, each followed by a gap. */
function offsets(widths: readonly number[], gap: number): number[] {
  const xs: number[] = [];
  let x = 0;
  for (const w of widths) {
    xs.push(x);
    x += w + gap;
  }
  return xs;
}

function svg(w: number, h: number, title: string, description: string, parts: string[], role: "img" | "group" = "img"): string {
  const id = title.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  return [
    `<svg class="picture" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${Math.ceil(w)} ${Math.ceil(h)}" width="${Math.ceil(w)}" height="${Math.ceil(h)}" role="${role}" aria-labelledby="${id}-title ${id}-desc">`,
    `<title id="${id}-title">${esc(title)}</title><desc id="${id}-desc">${esc(description)}</desc>`,
    ...parts,
    "</svg>",
  ].join("\n");
}
