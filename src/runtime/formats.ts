/**
 * The format checks of the validators: one function per format the package allows
 * (src/model/formats.ts), each with exactly the accept set of ajv-formats' "full" mode, written as
 * loops over char codes instead of ajv-formats' regular expressions (a regex split per date-time,
 * a 2 KB pattern per URI reference): the envelope's `time` and `source` alone cost a validator of
 * the bench corpus about a quarter of its time.
 *
 * Both halves of the package use these very functions: the compile stage's ajv
 * (src/schema/ajv-formats.ts adds them, so `check` and the build judge examples with them) and the
 * shipped validators, which read them from dist/runtime.cjs as `__formats` (src/runtime/index.ts).
 * "Exactly" is proven, not assumed: test/formats.test.ts runs thousands of generated strings per
 * format through these and through ajv-formats and asserts the same answer on each; the JSON
 * Schema Test Suite runs through the shipped validators (test/json-schema-suite.test.ts).
 *
 * The semantics are ajv-formats' (3.0.1), not the RFCs', where they differ: a time offset may be
 * `+HH` alone, 23:59:60 is a leap second only when it is 23:59 in UTC, a URI's authority is read
 * as RFC 3986's, an e-mail's domain needs a dot. Strings are read as UTF-16 code units, as
 * ajv-formats' non-unicode patterns read them. Runtime code: no imports, nothing that throws.
 */

/** A format check: true when the string is in the format's accept set. */
export type FormatCheck = (s: string) => boolean;

// Char codes used below.
const SLASH = 0x2f;
const COLON = 0x3a;
const DOT = 0x2e;
const HYPHEN = 0x2d;
const PERCENT = 0x25;
const AT = 0x40;

// Classes of ASCII characters, as bits of ASCII (a table is faster than a chain of comparisons).
const HEX = 1;
const ATEXT = 2;
const LABEL = 4; // a letter, a digit or a hyphen

/** The class bits of each ASCII character. */
const ASCII = asciiClasses();

function asciiClasses(): Uint8Array {
  const table = new Uint8Array(128);
  const add = (chars: string, bits: number) => {
    for (const ch of chars) table[ch.charCodeAt(0)] = (table[ch.charCodeAt(0)] as number) | bits;
  };
  add("0123456789abcdefABCDEF", HEX);
  add("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-", ATEXT | LABEL);
  add("!#$%&'*+/=?^_`{|}~", ATEXT);
  return table;
}

/** A decimal digit (ASCII only, as `\d` reads without the unicode flag). */
function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** A hexadecimal digit, either case. */
function isHex(c: number): boolean {
  return c < 128 && ((ASCII[c] as number) & HEX) !== 0;
}

/** An ASCII letter, either case (what `[a-z]` reads with the `i` flag and without the unicode flag). */
function isLetter(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}

/** A letter or a digit. */
function isAlnum(c: number): boolean {
  return isLetter(c) || isDigit(c);
}

/** What `\s` matches: the white space and line terminators of ECMAScript (also the code guard's, schema/code-guard.ts). */
export function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** The value of the `n` decimal digits at `from`, or -1 when one of them is not a digit (or absent). */
function digitsAt(s: string, from: number, n: number): number {
  let value = 0;
  for (let i = from; i < from + n; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c)) return -1;
    value = value * 10 + (c - 0x30);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// date, time, date-time (RFC 3339 section 5.6, as ajv-formats reads it)

const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/** YYYY-MM-DD at `o`, a real day of the Gregorian calendar (30 February is not). */
function dateAt(s: string, o: number): boolean {
  if (s.charCodeAt(o + 4) !== HYPHEN || s.charCodeAt(o + 7) !== HYPHEN) return false;
  const year = digitsAt(s, o, 4);
  const month = digitsAt(s, o + 5, 2);
  const day = digitsAt(s, o + 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1) return false;
  return day <= (month === 2 && isLeapYear(year) ? 29 : (DAYS[month] as number));
}

/** `date`: YYYY-MM-DD and nothing else. */
export function date(s: string): boolean {
  return s.length === 10 && dateAt(s, 0);
}

/**
 * HH:MM:SS[.frac] then `Z` or `±HH[[:]MM]`, from `o` to the end of `s`. An offset above 23:59 is
 * refused; past 23:59:59 only a leap second is allowed, and only where it is 23:59 in UTC (the
 * seconds are compared as ajv-formats compares them: the number the text reads as).
 */
function timeAt(s: string, o: number): boolean {
  const len = s.length;
  const hr = digitsAt(s, o, 2);
  const min = digitsAt(s, o + 3, 2);
  let sec = digitsAt(s, o + 6, 2);
  if (hr < 0 || min < 0 || sec < 0 || s.charCodeAt(o + 2) !== COLON || s.charCodeAt(o + 5) !== COLON) return false;
  let i = o + 8;
  if (s.charCodeAt(i) === DOT) {
    let j = i + 1;
    while (isDigit(s.charCodeAt(j))) j++;
    if (j === i + 1) return false;
    // A long fraction may round: "59.99999999999999999" reads as 60, as in ajv-formats.
    sec = +s.slice(o + 6, j);
    i = j;
  }
  const zone = parseZone(s, i, len);
  if (zone === undefined) return false;
  const [sign, tzH, tzM] = zone;
  if (tzH > 23 || tzM > 59) return false;
  if (hr <= 23 && min <= 59 && sec < 60) return true;
  // A leap second: 23:59:60 in UTC.
  const utcMin = min - tzM * sign;
  const utcHr = hr - tzH * sign - (utcMin < 0 ? 1 : 0);
  return (utcHr === 23 || utcHr === -1) && (utcMin === 59 || utcMin === -1) && sec < 61;
}

/** The offset from `i` to `len`: `Z`, `±HH`, `±HHMM` or `±HH:MM` as [sign, hours, minutes]; undefined otherwise. */
function parseZone(s: string, i: number, len: number): [number, number, number] | undefined {
  const c = s.charCodeAt(i);
  if (c === 0x5a || c === 0x7a) return i + 1 === len ? [1, 0, 0] : undefined;
  if (c !== 0x2b && c !== HYPHEN) return undefined;
  const tzH = digitsAt(s, i + 1, 2);
  if (tzH < 0) return undefined;
  const sign = c === HYPHEN ? -1 : 1;
  let j = i + 3;
  if (j === len) return [sign, tzH, 0];
  if (s.charCodeAt(j) === COLON) j++;
  const tzM = digitsAt(s, j, 2);
  return tzM >= 0 && j + 2 === len ? [sign, tzH, tzM] : undefined;
}

/** `time`: a full time with its offset. */
export function time(s: string): boolean {
  return timeAt(s, 0);
}

/**
 * `date-time`: a date, one separator (`T`, `t` or any white space, as ajv-formats splits on
 * `/t|\s/i`), a time. Neither half can hold a separator, so the one separator is at index 10.
 */
export function dateTime(s: string): boolean {
  const c = s.charCodeAt(10);
  return (c === 0x54 || c === 0x74 || isSpace(c)) && dateAt(s, 0) && timeAt(s, 11);
}

// ---------------------------------------------------------------------------------------------
// duration (RFC 3339 appendix A, as ajv-formats' pattern reads it)

/**
 * `duration`: `P` then `nW` alone, or `nY nM nD` (each optional, in order) and optionally `T` with
 * `nH nM nS` (at least one), never `P` alone nor a `T` without a part after it.
 */
export function duration(s: string): boolean {
  const len = s.length;
  if (len < 2 || s.charCodeAt(0) !== 0x50) return false;
  let i = 1;
  let j = skipDigits(s, i);
  if (j > i && s.charCodeAt(j) === 0x57) return j + 1 === len;
  i = durationParts(s, i, len, "YMD");
  if (i === len) return true;
  if (i < 0 || s.charCodeAt(i) !== 0x54 || !isDigit(s.charCodeAt(i + 1))) return false;
  j = durationParts(s, i + 1, len, "HMS");
  return j === len;
}

/** Index past the digits at `i`. */
function skipDigits(s: string, i: number): number {
  while (isDigit(s.charCodeAt(i))) i++;
  return i;
}

/**
 * Reads `<digits><designator>` parts from `i`, their designators in the order of `designators`,
 * each at most once; stops at `T` or the end. Returns where it stopped, or -1 on anything else.
 */
function durationParts(s: string, i: number, len: number, designators: string): number {
  let next = 0;
  while (i < len && s.charCodeAt(i) !== 0x54) {
    const j = skipDigits(s, i);
    if (j === i || j === len) return -1;
    const at = designators.indexOf(s.charAt(j), next);
    if (at < 0) return -1;
    next = at + 1;
    i = j + 1;
  }
  return i;
}

// ---------------------------------------------------------------------------------------------
// email, hostname

/** The characters of an e-mail address's local part between dots (RFC 5322's atext). */
function isAtext(c: number): boolean {
  return c < 128 && ((ASCII[c] as number) & ATEXT) !== 0;
}

/**
 * One label from `i` to `end` (exclusive): letters and digits with hyphens inside, at most
 * `max` characters. Returns the index past it (at `end` or a dot), or -1.
 */
function labelAt(s: string, i: number, end: number, max: number): number {
  if (!isAlnum(s.charCodeAt(i))) return -1;
  let j = i + 1;
  while (j < end) {
    const c = s.charCodeAt(j);
    if (c >= 128 || ((ASCII[c] as number) & LABEL) === 0) break;
    j++;
  }
  if (j < end && s.charCodeAt(j) !== DOT) return -1;
  if (j - i > max || !isAlnum(s.charCodeAt(j - 1))) return -1;
  return j;
}

/** `email`: dot-separated atext, `@`, two or more labels (no length limit on them), no final dot. */
export function email(s: string): boolean {
  const len = s.length;
  let i = 0;
  for (;;) {
    const start = i;
    while (i < len && isAtext(s.charCodeAt(i))) i++;
    if (i === start) return false;
    const c = s.charCodeAt(i);
    if (c === AT) break;
    if (c !== DOT) return false;
    i++;
  }
  let labels = 0;
  i++;
  for (;;) {
    i = labelAt(s, i, len, len);
    if (i < 0) return false;
    labels++;
    if (i === len) return labels >= 2;
    i++;
  }
}

/** `hostname`: labels of 1 to 63 characters, 253 in all, a final dot allowed (and not counted). */
export function hostname(s: string): boolean {
  let end = s.length;
  if (end > 0 && s.charCodeAt(end - 1) === DOT) end--;
  if (end > 253 || end === 0) return false;
  let i = 0;
  for (;;) {
    i = labelAt(s, i, end, 63);
    if (i < 0) return false;
    if (i === end) return true;
    i++;
  }
}

// ---------------------------------------------------------------------------------------------
// ipv4, ipv6

/**
 * A decimal octet from `i`: 1 to 3 digits worth at most 255; `strict` refuses a leading zero
 * (the ipv4 format), RFC 3986's IPv6 in a URI allows it. Returns the index past it, or -1.
 */
function octetAt(s: string, i: number, strict: boolean): number {
  const j = skipDigits(s, i);
  const n = j - i;
  if (n < 1 || n > 3) return -1;
  if (strict && n > 1 && s.charCodeAt(i) === 0x30) return -1;
  return digitsAt(s, i, n) <= 255 ? j : -1;
}

/** Four octets separated by dots, from `i` to exactly `end`. */
function ipv4Between(s: string, i: number, end: number, strict: boolean): boolean {
  for (let k = 0; k < 4; k++) {
    if (k > 0) {
      if (s.charCodeAt(i) !== DOT) return false;
      i++;
    }
    i = octetAt(s, i, strict);
    if (i < 0) return false;
  }
  return i === end;
}

/** `ipv4`: dotted quad, no leading zeros. */
export function ipv4(s: string): boolean {
  return ipv4Between(s, 0, s.length, true);
}

/**
 * An IPv6 address from `from` to exactly `to` (RFC 4291 text form): groups of 1 to 4 hex digits,
 * the last two of which may be an IPv4 address; eight groups, or at most seven around one `::`.
 */
function ipv6Between(s: string, from: number, to: number, strictOctets: boolean): boolean {
  let groups = 0;
  let compressed = false;
  let i = from;
  if (s.charCodeAt(i) === COLON) {
    if (s.charCodeAt(i + 1) !== COLON) return false;
    compressed = true;
    i += 2;
    if (i === to) return true;
  }
  for (;;) {
    let j = i;
    while (j < to && isHex(s.charCodeAt(j))) j++;
    if (j < to && s.charCodeAt(j) === DOT) {
      if (!ipv4Between(s, i, to, strictOctets)) return false;
      groups += 2;
      break;
    }
    if (j === i || j - i > 4) return false;
    groups++;
    if (j === to) break;
    if (s.charCodeAt(j) !== COLON) return false;
    j++;
    if (s.charCodeAt(j) === COLON && j < to) {
      if (compressed) return false;
      compressed = true;
      j++;
      if (j === to) break;
    } else if (j === to) return false;
    i = j;
  }
  return compressed ? groups <= 7 : groups === 8;
}

/** `ipv6`: an IPv6 address, an embedded IPv4 one without leading zeros. */
export function ipv6(s: string): boolean {
  return ipv6Between(s, 0, s.length, true);
}

// ---------------------------------------------------------------------------------------------
// uri, uri-reference (RFC 3986, as ajv-formats' full patterns read it)

// Classes of URI characters, as bits of URI_CHARS.
const UNRESERVED_OR_SUB = 1; // A-Z a-z 0-9 - . _ ~ and ! $ & ' ( ) * + , ; =
const C_COLON = 2;
const C_AT = 4;
const C_SLASH = 8;
const C_QUESTION = 16;
const C_QUOTE = 32; // `"`: ajv-formats' uri-reference allows it in the host, path, query and fragment

/** The class bits of each ASCII character. */
const URI_CHARS = uriChars();

function uriChars(): Uint8Array {
  const table = new Uint8Array(128);
  for (let c = 0; c < 128; c++) if (isAlnum(c)) table[c] = UNRESERVED_OR_SUB;
  for (const ch of "-._~!$&'()*+,;=") table[ch.charCodeAt(0)] = UNRESERVED_OR_SUB;
  table[COLON] = C_COLON;
  table[AT] = C_AT;
  table[SLASH] = C_SLASH;
  table[0x3f] = C_QUESTION;
  table[0x22] = C_QUOTE;
  return table;
}

const PCHAR = UNRESERVED_OR_SUB | C_COLON | C_AT;
const PATH = PCHAR | C_SLASH;
const QUERY = PATH | C_QUESTION;
const USERINFO = UNRESERVED_OR_SUB | C_COLON;

/** Index of the first character from `i` outside the classes `mask` and not a `%HH` escape. */
function span(s: string, i: number, mask: number): number {
  const len = s.length;
  while (i < len) {
    const c = s.charCodeAt(i);
    if (c < 128 && ((URI_CHARS[c] as number) & mask) !== 0) i++;
    else if (c === PERCENT && isHex(s.charCodeAt(i + 1)) && isHex(s.charCodeAt(i + 2))) i += 3;
    else break;
  }
  return i;
}

/** Index of the `:` that ends a scheme (a letter, then letters, digits, `+`, `-`, `.`), or -1. */
function schemeEnd(s: string): number {
  if (!isLetter(s.charCodeAt(0))) return -1;
  for (let i = 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === COLON) return i;
    if (!isAlnum(c) && c !== 0x2b && c !== HYPHEN && c !== DOT) return -1;
  }
  return -1;
}

/** `?query` then `#fragment`, each optional, from `i` to the end. */
function queryAndFragment(s: string, i: number, extra: number): boolean {
  if (s.charCodeAt(i) === 0x3f) i = span(s, i + 1, QUERY | extra);
  if (s.charCodeAt(i) === 0x23) i = span(s, i + 1, QUERY | extra);
  return i === s.length;
}

/**
 * A hier-part whose host is an IP literal: `/` or `//`, an optional `userinfo@`, `[…]`, an
 * optional `:port`, a path of `/`-segments. Returns the index past it, or -1.
 */
function bracketedAuthority(s: string, i: number, extra: number): number {
  if (s.charCodeAt(i) !== SLASH) return -1;
  i += s.charCodeAt(i + 1) === SLASH ? 2 : 1;
  const user = span(s, i, USERINFO);
  if (s.charCodeAt(user) === AT) i = user + 1;
  else if (user !== i) return -1;
  if (s.charCodeAt(i) !== 0x5b) return -1;
  const close = s.indexOf("]", i + 1);
  if (close < 0 || !ipLiteral(s, i + 1, close)) return -1;
  i = close + 1;
  if (s.charCodeAt(i) === COLON) i = skipDigits(s, i + 1);
  return endOfPath(s, i, extra);
}

/** Whether `i` ends a hier-part: the end, a query or a fragment. */
function isEnd(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return i >= s.length || c === 0x3f || c === 0x23;
}

/** The end of a path-abempty from `i` (empty, or `/` and path characters), or -1. */
function endOfPath(s: string, i: number, extra: number): number {
  if (isEnd(s, i)) return i;
  if (s.charCodeAt(i) !== SLASH) return -1;
  return span(s, i, PATH | extra);
}

/** Between the brackets of a URI host: an IPv6 address (octets may lead with 0) or `v<hex>.<chars>`. */
function ipLiteral(s: string, from: number, to: number): boolean {
  const c = s.charCodeAt(from);
  if (c !== 0x76 && c !== 0x56) return ipv6Between(s, from, to, false);
  let i = from + 1;
  while (i < to && isHex(s.charCodeAt(i))) i++;
  if (i === from + 1 || s.charCodeAt(i) !== DOT || i + 1 === to) return false;
  for (i++; i < to; i++) {
    const k = s.charCodeAt(i);
    if (k >= 128 || ((URI_CHARS[k] as number) & USERINFO) === 0) return false;
  }
  return true;
}

/**
 * The hier-part from `i`, then query and fragment. Without brackets every reading of ajv-formats'
 * pattern (authority, absolute or rootless path) comes to one rule: path characters and `/`; with
 * them, the authority is read as RFC 3986's. `nonEmpty`: the uri format needs a hier-part.
 */
function hierAndRest(s: string, i: number, extra: number, nonEmpty: boolean): boolean {
  const end = span(s, i, PATH | extra);
  const c = s.charCodeAt(end);
  if (c === 0x5b || c === 0x5d) {
    const past = bracketedAuthority(s, i, extra);
    return past >= 0 && queryAndFragment(s, past, extra);
  }
  if (nonEmpty && end === i) return false;
  return queryAndFragment(s, end, extra);
}

/** `uri`: a scheme, then a non-empty hier-part, then an optional query and fragment. */
export function uri(s: string): boolean {
  const colon = schemeEnd(s);
  return colon >= 0 && hierAndRest(s, colon + 1, 0, true);
}

/**
 * `uri-reference`: a URI or a relative reference, `"` allowed outside the user info. A scheme
 * only matters when the authority holds an IP literal: its characters are path characters too.
 */
export function uriReference(s: string): boolean {
  if (s.charCodeAt(0) === SLASH) return hierAndRest(s, 0, C_QUOTE, false);
  const plain = span(s, 0, PATH | C_QUOTE);
  const c = s.charCodeAt(plain);
  if (c !== 0x5b && c !== 0x5d) return queryAndFragment(s, plain, C_QUOTE);
  const colon = schemeEnd(s);
  return colon >= 0 && hierAndRest(s, colon + 1, C_QUOTE, false);
}

// ---------------------------------------------------------------------------------------------
// json-pointer, uuid, regex

/** `json-pointer`: empty, or `/`-led tokens in which `~` is always `~0` or `~1`. */
export function jsonPointer(s: string): boolean {
  if (s.length === 0) return true;
  if (s.charCodeAt(0) !== SLASH) return false;
  for (let i = s.indexOf("~"); i >= 0; i = s.indexOf("~", i + 1)) {
    const c = s.charCodeAt(i + 1);
    if (c !== 0x30 && c !== 0x31) return false;
  }
  return true;
}

const URN_UUID = "urn:uuid:";

/** A char code with ASCII capitals lowered (the `i` flag without the unicode flag folds no other letter onto ASCII). */
function asciiLower(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
}

/** `uuid`: 8-4-4-4-12 hex digits, optionally after `urn:uuid:` (any case). */
export function uuid(s: string): boolean {
  let o = 0;
  if (s.length === 45) {
    for (; o < 9; o++) if (asciiLower(s.charCodeAt(o)) !== URN_UUID.charCodeAt(o)) return false;
  } else if (s.length !== 36) return false;
  return (
    s.charCodeAt(o + 8) === HYPHEN &&
    s.charCodeAt(o + 13) === HYPHEN &&
    s.charCodeAt(o + 18) === HYPHEN &&
    s.charCodeAt(o + 23) === HYPHEN &&
    hexRun(s, o, 8) &&
    hexRun(s, o + 9, 4) &&
    hexRun(s, o + 14, 4) &&
    hexRun(s, o + 19, 4) &&
    hexRun(s, o + 24, 12)
  );
}

/** Whether the `n` characters at `from` are hex digits. */
function hexRun(s: string, from: number, n: number): boolean {
  for (let i = from; i < from + n; i++) if (!isHex(s.charCodeAt(i))) return false;
  return true;
}

/** A `\Z` after a character other than a backslash: ajv-formats refuses it (Python's anchor, not ECMAScript's). */
const Z_ANCHOR = /[^\\]\\Z/;

/** `regex`: an ECMAScript pattern that compiles (ajv-formats' own check: compiling is the test). */
export function regex(s: string): boolean {
  if (Z_ANCHOR.test(s)) return false;
  try {
    new RegExp(s);
    return true;
  } catch {
    return false;
  }
}

/** The checks by format name: what `__formats` serves and what the compile stage's ajv adds. */
export const FORMATS: Readonly<Record<string, FormatCheck>> = Object.freeze({
  date,
  "date-time": dateTime,
  duration,
  email,
  hostname,
  ipv4,
  ipv6,
  "json-pointer": jsonPointer,
  regex,
  time,
  uri,
  "uri-reference": uriReference,
  uuid,
});
