/**
 * Splits a reply that is still streaming into top-level chunks, so that each frame re-parses only the
 * last one: a chunk ends at a blank line outside a code fence or a `$$` block, unless what follows
 * belongs to it (an indented line, or the next item of a list). A finished reply is parsed whole,
 * so constructs that span chunks (a loose list, a link definition) come out right in the end.
 */
const FENCE = /^\s{0,3}(`{3,}|~{3,})/;
const LIST_ITEM = /^\s{0,3}([-*+]|\d+[.)])\s/;

export function streamingChunks(text: string): string[] {
  const lines = text.split("\n");
  const chunks: string[] = [];
  let current: string[] = [];
  let fence: string | null = null;
  let math = false;
  let inList = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const marker = FENCE.exec(line)?.[1];
    if (marker && (fence === null || (marker[0] === fence[0] && marker.length >= fence.length)))
      fence = fence === null ? marker : null;
    else if (fence === null && line.trim() === "$$") math = !math;
    if (current.length === 0 && line.trim() === "") continue;
    current.push(line);
    if (line.trim() !== "" && fence === null && !/^\s/.test(line)) inList = LIST_ITEM.test(line);
    if (fence !== null || math || line.trim() !== "") continue;
    const next = lines.slice(i + 1).find((l) => l.trim() !== "");
    const continues = next !== undefined && (/^\s/.test(next) || (inList && LIST_ITEM.test(next)));
    if (!continues) {
      chunks.push(current.join("\n").trimEnd());
      current = [];
    }
  }
  if (current.length > 0) chunks.push(current.join("\n").trimEnd());
  return chunks;
}
