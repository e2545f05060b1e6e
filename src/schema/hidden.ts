/**
 * hidden: the one definition of a character that hides what a reviewer reads (Trojan Source,
 * CVE-2021-42574), shared by the rule that refuses them (parse.ts, PARSE_HIDDEN_CHARACTER) and by
 * the canonical form that writes them as `\u` escapes (canonical.ts), so that `fmt` never writes a
 * character that `check` refuses.
 *
 * The definition is Unicode's own, by property, not a hand-made list:
 * - Cc, control characters: C0 (other than the JSON whitespace tab, line feed and carriage return,
 *   which a file holds between tokens), DEL and C1 (U+0085 NEXT LINE among them);
 * - Cf, format characters: bidirectional controls, zero-width space and joiners, the word joiner,
 *   the byte order mark, soft hyphen, tag characters;
 * - Zl and Zp, the line and paragraph separators U+2028 and U+2029 (a line break to some readers,
 *   none to others);
 * - Default_Ignorable_Code_Point, what fonts draw as nothing: the Hangul fillers U+115F, U+1160,
 *   U+3164 and U+FFA0, the combining grapheme joiner U+034F, the Mongolian free variation selectors
 *   U+180B–U+180F, the variation selectors U+FE00–U+FE0F and U+E0100–U+E01EF, and the code points
 *   Unicode reserves as ignorable.
 *
 * Variation selectors are in, although an emoji may carry U+FE0F: after a letter they are invisible
 * (`active` + U+FE00 is not `active`), and a value that needs one writes it as `\ufe0f`.
 * Not in: spaces (Zs: U+00A0, U+3000 …) and U+2800 BRAILLE PATTERN BLANK, which are drawn as a blank
 * of their own width, so the text visibly holds something there.
 */

const HIDDEN_CLASS = String.raw`\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}`;

/** A hidden character anywhere in a string (a key, a value). */
const HIDDEN = new RegExp(`[${HIDDEN_CLASS}]`, "u");

/** A hidden character written as it is in a file's text: tab, line feed and carriage return are JSON whitespace. */
const IN_TEXT = `(?![\\t\\n\\r])[${HIDDEN_CLASS}]`;

/** Every one of them (hiddenInText), and whether there is one (hasHiddenInText). */
const HIDDEN_IN_TEXT = new RegExp(IN_TEXT, "gu");
const HIDDEN_IN_TEXT_ONE = new RegExp(IN_TEXT, "u");

/** Every hidden character of a string, for replacing (canonical.ts). */
export const HIDDEN_CHARACTERS = new RegExp(`[${HIDDEN_CLASS}]`, "gu");

/** True when `value` holds a hidden character. */
export function hasHiddenCharacter(value: string): boolean {
  return HIDDEN.test(value);
}

/** The hidden characters written as they are in a file's text, with their offsets (in UTF-16 units). */
export function hiddenInText(text: string): { index: number; codePoint: number }[] {
  return [...text.matchAll(HIDDEN_IN_TEXT)].map((m) => ({ index: m.index, codePoint: m[0].codePointAt(0) as number }));
}

/** Whether a file's text holds a hidden character written as it is (what hiddenInText lists). */
export function hasHiddenInText(text: string): boolean {
  return HIDDEN_IN_TEXT_ONE.test(text);
}

/** A code point as Unicode writes it: U+200B. */
export function codePointName(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, "0")}`;
}
