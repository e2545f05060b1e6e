/**
 * A hand-written validator for one event of the benchmark corpus, the yardstick for the generated
 * ones: `billing.order.order-cancelled.v1`, the first event of the first system that
 * `corpus.ts` writes with seed 1 (the same for every count ≥ 100), file
 * `billing/order/order-cancelled.json`.
 *
 * It accepts exactly what the event's published schema accepts (dist/events.json: the envelope of
 * src/model/envelope.ts with `type` fixed, `source` pinned to `/systems/billing`, and `data` the event's
 * schema with its `_shared/` references), formats as ajv-formats' "full" mode checks them, string
 * lengths in code points as JSON Schema counts them. It stops at the first failure.
 *
 * It assumes a JSON value, as from JSON.parse: objects have no inherited enumerable keys and no
 * members whose value is `undefined` (closed objects are checked by counting their keys).
 *
 * When corpus.ts changes the shape of this event, this file must follow.
 */

/** The event this validator is for. */
export const type = "billing.order.order-cancelled.v1";

/** Its schema file in the corpus, relative to the events folder. */
export const schemaFile = "billing/order/order-cancelled.json";

type Obj = Record<string, unknown>;

/** True for the envelope of `type` with valid data, false on the first problem. */
export function validateOrderCancelled(value: unknown): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const e = value as Obj;
  if (e.specversion !== "1.0") return false;
  const id = e.id;
  if (typeof id !== "string" || id.length === 0) return false;
  if (e.source !== "/systems/billing") return false;
  if (e.type !== type) return false;
  const time = e.time;
  if (typeof time !== "string" || !isDateTime(time)) return false;
  if (e.datacontenttype !== "application/json") return false;
  const account = e.clientaccountid;
  if (typeof account !== "string" || account.length === 0) return false;
  let keys = 8;
  const subject = e.subject;
  if (subject !== undefined) {
    if (typeof subject !== "string" || subject.length === 0) return false;
    keys++;
  }
  if (e.data === undefined || countKeys(e) !== keys) return false;
  return isData(e.data);
}

const STATUSES = ["draft", "rejected", "cancelled", "expired"];
const CONTACT_CHANNELS = ["email", "sms", "push", "phone"];

function isData(value: unknown): boolean {
  if (!isObject(value) || countKeys(value) !== 10) return false;
  const d = value as Obj;
  if (!isUuidString(d.orderId)) return false;
  if (!isUuidString(d.clientAccountId)) return false;
  const status = d.status;
  if (typeof status !== "string" || !STATUSES.includes(status)) return false;
  const at = d.cancelledAt;
  if (typeof at !== "string" || !isDateTime(at)) return false;
  if (!isActor(d.cancelledBy)) return false;
  if (!isMoney(d.totalAmount)) return false;
  const on = d.effectiveOn;
  if (typeof on !== "string" || on.length !== 10 || !isDateAt(on, 0)) return false;
  const items = d.items;
  if (!Array.isArray(items) || items.length < 1 || items.length > 50) return false;
  for (let i = 0; i < items.length; i++) if (!isLineItem(items[i])) return false;
  if (!isChannel(d.channel)) return false;
  return isCustomer(d.customer);
}

/** `_shared/actor.json`: oneOf three closed objects, told apart by their `kind` const. */
function isActor(value: unknown): boolean {
  if (!isObject(value)) return false;
  const a = value as Obj;
  switch (a.kind) {
    case "customer-user":
      return countKeys(a) === 2 && isUuidString(a.customerUserId);
    case "staff-member":
      return countKeys(a) === 3 && isUuidString(a.staffMemberId) && isEmailString(a.email);
    case "system": {
      const system = a.system;
      return countKeys(a) === 2 && typeof system === "string" && isSlug(system);
    }
    default:
      return false;
  }
}

/** `_shared/money.json`. */
function isMoney(value: unknown): boolean {
  if (!isObject(value)) return false;
  const m = value as Obj;
  const amount = m.amountMinor;
  if (!Number.isInteger(amount) || (amount as number) < -100000000000 || (amount as number) > 100000000000) return false;
  const currency = m.currency;
  return (
    typeof currency === "string" &&
    currency.length === 3 &&
    isUpper(currency, 0) &&
    isUpper(currency, 1) &&
    isUpper(currency, 2) &&
    countKeys(m) === 2
  );
}

/** The event's `$defs/lineItem`. */
function isLineItem(value: unknown): boolean {
  if (!isObject(value)) return false;
  const item = value as Obj;
  const sku = item.sku;
  if (typeof sku !== "string" || sku.length < 4 || sku.length > 12) return false;
  for (let i = 0; i < sku.length; i++) if (!isUpperOrDigit(sku.charCodeAt(i))) return false;
  const quantity = item.quantity;
  if (!Number.isInteger(quantity) || (quantity as number) < 1 || (quantity as number) > 9999) return false;
  return isMoney(item.unitPrice) && countKeys(item) === 3;
}

/** `channel`: oneOf web, app and api, told apart by their `kind` const. */
function isChannel(value: unknown): boolean {
  if (!isObject(value)) return false;
  const c = value as Obj;
  switch (c.kind) {
    case "web": {
      const url = c.url;
      return countKeys(c) === 2 && typeof url === "string" && url.length <= 2048 && isUri(url);
    }
    case "app": {
      const platform = c.platform;
      const version = c.appVersion;
      return (
        countKeys(c) === 3 && (platform === "ios" || platform === "android") && typeof version === "string" && isDottedVersion(version)
      );
    }
    case "api": {
      const client = c.clientId;
      return countKeys(c) === 2 && typeof client === "string" && client.length >= 1 && (client.length <= 64 || codePoints(client) <= 64);
    }
    default:
      return false;
  }
}

function isCustomer(value: unknown): boolean {
  if (!isObject(value)) return false;
  const c = value as Obj;
  if (!isUuidString(c.customerUserId)) return false;
  if (!isEmailString(c.email)) return false;
  const preferences = c.preferences;
  if (preferences === undefined) return countKeys(c) === 2;
  if (countKeys(c) !== 3 || !isObject(preferences)) return false;
  const p = preferences as Obj;
  if (countKeys(p) !== 2) return false;
  const locale = p.locale;
  if (typeof locale !== "string" || !isLocale(locale)) return false;
  const channels = p.contactChannels;
  if (!Array.isArray(channels) || channels.length < 1 || channels.length > 4) return false;
  for (let i = 0; i < channels.length; i++) {
    const ch = channels[i];
    if (typeof ch !== "string" || !CONTACT_CHANNELS.includes(ch)) return false;
  }
  // uniqueItems, last: at most four strings.
  for (let i = 1; i < channels.length; i++) for (let j = 0; j < i; j++) if (channels[i] === channels[j]) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Building blocks

function isObject(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function countKeys(o: object): number {
  let n = 0;
  for (const _ in o) n++;
  return n;
}

/** String length as JSON Schema counts it: a surrogate pair is one character. */
function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
    n++;
  }
  return n;
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isHex = (c: number) => isDigit(c) || ((c | 0x20) >= 97 && (c | 0x20) <= 102);
const isAlpha = (c: number) => (c | 0x20) >= 97 && (c | 0x20) <= 122;
const isAlnum = (c: number) => isDigit(c) || isAlpha(c);
const isLower = (c: number) => c >= 97 && c <= 122;
const isUpperOrDigit = (c: number) => (c >= 65 && c <= 90) || isDigit(c);
const isUpper = (s: string, i: number) => {
  const c = s.charCodeAt(i);
  return c >= 65 && c <= 90;
};

/** `_shared/locale.json`: ^[a-z]{2,3}(-[A-Z]{2})?$ */
function isLocale(s: string): boolean {
  const n = s.length;
  const language = n === 2 || n === 5 ? 2 : n === 3 || n === 6 ? 3 : 0;
  if (language === 0 || !isLower(s.charCodeAt(0)) || !isLower(s.charCodeAt(1))) return false;
  if (language === 3 && !isLower(s.charCodeAt(2))) return false;
  if (n === language) return true;
  return s.charCodeAt(language) === 45 && isUpper(s, language + 1) && isUpper(s, language + 2);
}

/** ^[a-z0-9]+(-[a-z0-9]+)*$ */
function isSlug(s: string): boolean {
  if (s.length === 0) return false;
  let afterHyphen = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 45) {
      if (afterHyphen) return false;
      afterHyphen = true;
    } else if (isLower(c) || isDigit(c)) afterHyphen = false;
    else return false;
  }
  return !afterHyphen;
}

/** ^[0-9]+\.[0-9]+\.[0-9]+$ */
function isDottedVersion(s: string): boolean {
  let dots = 0;
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isDigit(c)) run++;
    else if (c === 46 && run > 0 && dots < 2) {
      dots++;
      run = 0;
    } else return false;
  }
  return dots === 2 && run > 0;
}

/** format uuid: an optional urn:uuid: prefix, then 8-4-4-4-12 hex digits, any case (V8 runs this faster than a loop). */
const UUID = /^(?:urn:uuid:)?[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/i;

function isUuidString(v: unknown): boolean {
  return typeof v === "string" && UUID.test(v);
}

/** `_shared/email.json`: at most 254 characters, format email. */
function isEmailString(v: unknown): boolean {
  return typeof v === "string" && v.length <= 254 && isEmail(v);
}

/** Characters of an email's local part besides letters, digits and dots: !#$%&'*+/=?^_`{|}~- */
function isAtextSymbol(c: number): boolean {
  switch (c) {
    case 33:
    case 35:
    case 36:
    case 37:
    case 38:
    case 39:
    case 42:
    case 43:
    case 45:
    case 47:
    case 61:
    case 63:
    case 94:
    case 95:
    case 96:
    case 123:
    case 124:
    case 125:
    case 126:
      return true;
    default:
      return false;
  }
}

/** format email: dot-atom local part, then two or more DNS labels of letters, digits and inner hyphens. */
function isEmail(s: string): boolean {
  const at = s.indexOf("@");
  if (at <= 0) return false;
  let afterDot = true;
  for (let i = 0; i < at; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (afterDot) return false;
      afterDot = true;
    } else if (isAlnum(c) || isAtextSymbol(c)) afterDot = false;
    else return false;
  }
  if (afterDot) return false;
  let labels = 0;
  let start = at + 1;
  for (let i = start; i <= s.length; i++) {
    const c = i === s.length ? 46 : s.charCodeAt(i);
    if (c === 46) {
      if (i === start || s.charCodeAt(i - 1) === 45) return false;
      labels++;
      start = i + 1;
    } else if (isAlnum(c)) {
      // fine anywhere in a label
    } else if (c !== 45 || i === start) return false;
  }
  return labels >= 2;
}

const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The value of the two ASCII digits at `i`, or -1. */
function twoDigits(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** An RFC 3339 full-date at `o`: YYYY-MM-DD, a day that exists. */
function isDateAt(s: string, o: number): boolean {
  const century = twoDigits(s, o);
  const yy = twoDigits(s, o + 2);
  const month = twoDigits(s, o + 5);
  const day = twoDigits(s, o + 8);
  if (century < 0 || yy < 0 || month < 1 || month > 12 || day < 1) return false;
  if (s.charCodeAt(o + 4) !== 45 || s.charCodeAt(o + 7) !== 45) return false;
  if (day <= 28) return true;
  const year = century * 100 + yy;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : (DAYS[month] as number));
}

/** The characters `\s` matches in a JavaScript regular expression. */
function isSpace(c: number): boolean {
  return (
    (c >= 9 && c <= 13) ||
    c === 32 ||
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

/** format date-time: a full-date, T (any case) or a space, then a time with its offset. */
function isDateTime(s: string): boolean {
  if (s.length < 20 || !isDateAt(s, 0)) return false;
  const sep = s.charCodeAt(10);
  if (sep !== 84 && sep !== 116 && !isSpace(sep)) return false;
  return isTime(s, 11);
}

/**
 * HH:MM:SS[.frac] then Z or ±HH[[:]MM], as ajv-formats reads it: an hour above 23 or a minute above
 * 59 passes only as a leap second (…:60) at 23:59 UTC.
 */
function isTime(s: string, o: number): boolean {
  const n = s.length;
  if (n < o + 9 || s.charCodeAt(o + 2) !== 58 || s.charCodeAt(o + 5) !== 58) return false;
  const hour = twoDigits(s, o);
  const minute = twoDigits(s, o + 3);
  let second = twoDigits(s, o + 6);
  if (hour < 0 || minute < 0 || second < 0) return false;
  let i = o + 8;
  if (s.charCodeAt(i) === 46) {
    const start = ++i;
    while (i < n && isDigit(s.charCodeAt(i))) i++;
    if (i === start) return false;
    second = Number(s.slice(o + 6, i));
  }
  if (i >= n) return false; // the offset is required
  const z = s.charCodeAt(i);
  let sign = 1;
  let offsetHours = 0;
  let offsetMinutes = 0;
  if (z === 90 || z === 122) {
    if (i + 1 !== n) return false;
  } else if (z === 43 || z === 45) {
    sign = z === 45 ? -1 : 1;
    offsetHours = i + 3 > n ? -1 : twoDigits(s, i + 1);
    if (offsetHours < 0) return false;
    i += 3;
    if (i < n) {
      if (s.charCodeAt(i) === 58) i++;
      offsetMinutes = i + 2 === n ? twoDigits(s, i) : -1;
      if (offsetMinutes < 0) return false;
    }
  } else return false;
  if (offsetHours > 23 || offsetMinutes > 59) return false;
  if (hour <= 23 && minute <= 59 && second < 60) return true;
  const utcMinute = minute - offsetMinutes * sign;
  const utcHour = hour - offsetHours * sign - (utcMinute < 0 ? 1 : 0);
  return (utcHour === 23 || utcHour === -1) && (utcMinute === 59 || utcMinute === -1) && second < 61;
}

// URI (RFC 3986), as ajv-formats' "full" uri reads it.

/** unreserved / sub-delims: A-Z a-z 0-9 - . _ ~ ! $ & ' ( ) * + , ; = */
function isUnreservedOrSubDelim(c: number): boolean {
  if (isAlnum(c)) return true;
  switch (c) {
    case 45:
    case 46:
    case 95:
    case 126:
    case 33:
    case 36:
    case 38:
    case 39:
    case 40:
    case 41:
    case 42:
    case 43:
    case 44:
    case 59:
    case 61:
      return true;
    default:
      return false;
  }
}

/**
 * Every character of s[from, to) is allowed: unreserved, sub-delims, `%` with two hex digits, and
 * the `extra` characters (as a string of them).
 */
function allAllowed(s: string, from: number, to: number, extra: string): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (isUnreservedOrSubDelim(c)) continue;
    if (c === 37) {
      if (i + 2 >= to || !isHex(s.charCodeAt(i + 1)) || !isHex(s.charCodeAt(i + 2))) return false;
      i += 2;
      continue;
    }
    if (extra.indexOf(s[i] as string) === -1) return false;
  }
  return true;
}

/** 1 to 4 hex digits. */
function isH16(s: string): boolean {
  if (s.length < 1 || s.length > 4) return false;
  for (let i = 0; i < s.length; i++) if (!isHex(s.charCodeAt(i))) return false;
  return true;
}

/** Four decimal octets, each 0–255 written with one to three digits (leading zeros allowed). */
function isDottedQuad(s: string): boolean {
  const parts = s.split(".");
  if (parts.length !== 4) return false;
  for (const p of parts) {
    if (p.length < 1 || p.length > 3) return false;
    for (let i = 0; i < p.length; i++) if (!isDigit(p.charCodeAt(i))) return false;
    if (Number(p) > 255) return false;
  }
  return true;
}

/**
 * The 16-bit groups of one side of an IPv6 address ("" has none), or -1; a dotted quad counts two
 * and may only end the address.
 */
function ipv6Units(part: string, mayEndInQuad: boolean): number {
  if (part === "") return 0;
  const pieces = part.split(":");
  let units = 0;
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i] as string;
    if (mayEndInQuad && i === pieces.length - 1 && p.includes(".")) {
      if (!isDottedQuad(p)) return -1;
      units += 2;
    } else if (isH16(p)) units++;
    else return -1;
  }
  return units;
}

/** RFC 3986 IPv6address: eight 16-bit groups, the last two possibly a dotted quad, one `::` for a run of zeros. */
function isIpv6(s: string): boolean {
  const gap = s.indexOf("::");
  if (gap === -1) return ipv6Units(s, true) === 8;
  const right = s.slice(gap + 2);
  if (right.includes("::")) return false;
  const l = ipv6Units(s.slice(0, gap), false);
  const r = ipv6Units(right, true);
  return l >= 0 && r >= 0 && l + r <= 7;
}

/** host [":" port] after an optional "userinfo@". */
function isAuthority(s: string, from: number, to: number): boolean {
  let i = from;
  const at = s.indexOf("@", from);
  if (at !== -1 && at < to) {
    if (!allAllowed(s, from, at, ":")) return false;
    i = at + 1;
  }
  let hostEnd: number;
  if (s.charCodeAt(i) === 91) {
    const close = s.indexOf("]", i);
    if (close === -1 || close >= to) return false;
    const literal = s.slice(i + 1, close);
    if (!isIpv6(literal) && !isIpvFuture(literal)) return false;
    hostEnd = close + 1;
  } else {
    hostEnd = i;
    while (hostEnd < to && s.charCodeAt(hostEnd) !== 58) hostEnd++;
    if (!allAllowed(s, i, hostEnd, "")) return false;
  }
  if (hostEnd === to) return true;
  if (s.charCodeAt(hostEnd) !== 58) return false;
  for (let k = hostEnd + 1; k < to; k++) if (!isDigit(s.charCodeAt(k))) return false;
  return true;
}

/** "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" ) */
function isIpvFuture(s: string): boolean {
  if ((s.charCodeAt(0) | 0x20) !== 118) return false;
  const dot = s.indexOf(".");
  if (dot < 2 || dot === s.length - 1) return false;
  for (let i = 1; i < dot; i++) if (!isHex(s.charCodeAt(i))) return false;
  for (let i = dot + 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isUnreservedOrSubDelim(c) && c !== 58) return false;
  }
  return true;
}

/** format uri: scheme ":" hier-part ["?" query] ["#" fragment]. */
function isUri(s: string): boolean {
  if (!isAlpha(s.charCodeAt(0))) return false;
  let i = 1;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 58) break;
    if (!isAlnum(c) && c !== 43 && c !== 45 && c !== 46) return false;
  }
  if (i === s.length) return false;
  const start = i + 1;
  let end = start;
  while (end < s.length && s.charCodeAt(end) !== 63 && s.charCodeAt(end) !== 35) end++;
  if (end < s.length) {
    const hash = s.indexOf("#", end);
    const queryEnd = hash === -1 ? s.length : hash;
    if (s.charCodeAt(end) === 63 && !allAllowed(s, end + 1, queryEnd, ":@/?")) return false;
    if (hash !== -1 && !allAllowed(s, hash + 1, s.length, ":@/?")) return false;
  }
  return isHierPart(s, start, end);
}

/** ("//" / "/") authority path-abempty, or path-absolute, or path-rootless (never empty). */
function isHierPart(s: string, from: number, to: number): boolean {
  if (from === to) return false;
  if (s.charCodeAt(from) !== 47) return allAllowed(s, from, to, ":@/");
  for (const skip of s.charCodeAt(from + 1) === 47 ? [2, 1] : [1]) {
    const a = from + skip;
    let slash = s.indexOf("/", a);
    if (slash === -1 || slash > to) slash = to;
    if (isAuthority(s, a, slash) && allAllowed(s, slash, to, ":@/")) return true;
  }
  // path-absolute: "/" and, unless it is all, a first segment that is not empty.
  return s.charCodeAt(from + 1) !== 47 && allAllowed(s, from + 1, to, ":@/");
}

// ---------------------------------------------------------------------------------------------
// Inputs for the benchmark

/** The event's example (its schema's `examples[0]`), as the corpus writes it with seed 1. */
const EXAMPLE = {
  orderId: "38cac5db-68c8-4635-a0aa-962ab516190f",
  clientAccountId: "6c1cda78-686d-4d04-8c6b-353327bac1e0",
  status: "expired",
  cancelledAt: "2026-04-02T00:38:06Z",
  cancelledBy: { kind: "customer-user", customerUserId: "fd767f36-6abb-45ec-a824-18fc508c0003" },
  totalAmount: { amountMinor: 212353, currency: "GBP" },
  effectiveOn: "2026-07-20",
  items: [{ sku: "SN00L9HV2A", quantity: 6, unitPrice: { amountMinor: 137363, currency: "GBP" } }],
  channel: { kind: "app", platform: "android", appVersion: "1.17.1" },
  customer: {
    customerUserId: "11511cb9-ecc3-476c-be14-040e96b95213",
    email: "sofia.wagner50@example.com",
    preferences: { locale: "en", contactChannels: ["sms"] },
  },
};

/** Fresh inputs: a valid event, one that fails the first check, one that fails only the last. */
export function sampleInputs(): { valid: unknown; earlyInvalid: unknown; lateInvalid: unknown } {
  const event = (data: unknown, extra: Obj = {}): Obj => ({
    specversion: "1.0",
    id: "evt-1",
    source: "/systems/billing",
    type,
    time: "2026-05-01T08:00:00Z",
    datacontenttype: "application/json",
    clientaccountid: "ca-1",
    data,
    ...extra,
  });
  const late = structuredClone(EXAMPLE);
  // The last check of all: contactChannels' uniqueItems, deep in data.customer.preferences.
  late.customer.preferences.contactChannels = ["sms", "sms"];
  return {
    valid: event(structuredClone(EXAMPLE)),
    earlyInvalid: event(structuredClone(EXAMPLE), { specversion: "0.3" }),
    lateInvalid: event(late),
  };
}
