/** The reader of the peers' data (test-peers/peers.ts): Confluent's files may hold trailing commas. */

import { describe, expect, it } from "vitest";
import { stripTrailingCommas } from "../../test-peers/peers.js";

describe("stripTrailingCommas", () => {
  it.each([
    ['{"a": [1, 2,], "b": {"c": 1,},}', { a: [1, 2], b: { c: 1 } }],
    ['{"a": ",}", "b": "x\\",]",\n}', { a: ",}", b: 'x",]' }],
    ["[1,\n  ]", [1]],
    ['{"a": 1}', { a: 1 }],
  ])("%s", (text, want) => {
    expect(JSON.parse(stripTrailingCommas(text))).toEqual(want);
  });
});
