/** The first sentence of a description: up to the first `.`, `!` or `?` that a capitalised word follows (so "e.g. cents" does not end it). */
export function firstSentence(text: string): string {
  const match = /^(.+?[.!?])\s+(?=[A-Z])/s.exec(text);
  return (match ? match[1] : text) as string;
}
