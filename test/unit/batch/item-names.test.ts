import { describe, expect, it } from "vitest";
import {
  escapeText,
  MAX_SEGMENT_BYTES,
  memberItemNames,
  singleItemName,
} from "../../../packages/core/src/batch/item-names.js";
import { MAX_KEY_BYTES, maxItemNameBytes, resultKeys } from "../../../packages/core/src/batch/keys.js";

const bytes = (text: string) => Buffer.byteLength(text);
const job = "j".repeat(128);
const budget = maxItemNameBytes(job);

describe("item names", () => {
  it("leaves ordinary names alone and escapes what the grammar reserves", () => {
    expect(singleItemName("frame 07.jpg", budget)).toBe("frame 07.jpg");
    expect(singleItemName("reel/été 1.jpg", budget)).toBe("reel/été 1.jpg");
    expect(escapeText("a!b%c\u0000d\u001fe\u007ff\u0085g")).toBe("a%21b%25c%00d%1Fe%7Ff%C2%85g");
    expect(escapeText("x\ud800y")).toBe("x%ED%A0%80y");
    expect(escapeText("😀")).toBe("😀");
  });

  it("keeps every result key within S3's 1,024 bytes and every segment within 200 bytes", () => {
    expect(budget).toBe(MAX_KEY_BYTES - bytes(`results/${job}/frames/.json`));
    const names = [
      singleItemName(`${"é".repeat(700)}.jpg`, budget),
      singleItemName(`${"d/".repeat(600)}x.jpg`, budget),
      ...memberItemNames(`${"a".repeat(900)}.zip`, [`${"b/".repeat(550)}c.jpg`, "s".repeat(300)], budget),
    ];
    for (const name of names) {
      expect(bytes(resultKeys.error(job, name))).toBeLessThanOrEqual(MAX_KEY_BYTES);
      expect(bytes(resultKeys.items(job, name))).toBeLessThanOrEqual(MAX_KEY_BYTES);
      for (const segment of name.split("/")) expect(bytes(segment)).toBeLessThanOrEqual(MAX_SEGMENT_BYTES);
    }
    expect(names[0]).toMatch(/!~[0-9a-f]{16}\.jpg$/);
    expect(singleItemName(`${"é".repeat(700)}.jpg`, budget)).toBe(names[0]);
  });

  it("namespaces members by their archive, so no single upload can take a member's name", () => {
    const [member] = memberItemNames("a.zip", ["x.jpg"], budget);
    expect(member).toBe("a.zip!/x.jpg");
    expect(singleItemName("a.zip/x.jpg", budget)).toBe("a.zip/x.jpg");
    expect(singleItemName("a.zip!/x.jpg", budget)).toBe("a.zip%21/x.jpg");
    expect(memberItemNames("a.zip!", ["x.jpg"], budget)).toEqual(["a.zip%21!/x.jpg"]);
  });

  it("never maps two different names to one item (fuzzed over the reserved characters)", () => {
    const alphabet = ["a", "!", "/", "%", "~", "2", "1", ".", "\u0000", "é"];
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const text = (length: number) =>
      Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join("");
    const seen = new Map<string, string>();
    const record = (item: string, origin: string) => {
      expect(seen.get(item) ?? origin).toBe(origin);
      seen.set(item, origin);
    };
    for (let i = 0; i < 3000; i++) {
      const single =
        text(1 + (i % 12))
          .replace(/\/+/g, "/")
          .replace(/^\/|\/$/g, "") || "z";
      if (single.split("/").some((part) => part === "." || part === "..")) continue;
      const item = singleItemName(single, i % 3 === 0 ? 12 : budget);
      expect(item.includes("!/")).toBe(false);
      record(item, `single:${single}`);
      const members = memberItemNames(single, [text(4), text(4), text(4)], budget);
      expect(new Set(members).size).toBe(members.length);
      // Members of one archive may repeat across its versions, never across archives or singles.
      for (const name of members) record(name, `archive:${single}`);
    }
  });

  it("disambiguates colliding member names against every real name, deterministically", () => {
    const raw = ["dup.jpg", "/dup.jpg", "dup.jpg~2", "./dup.jpg", "dup~2.jpg"];
    const names = memberItemNames("r.zip", raw, budget);
    expect(new Set(names).size).toBe(raw.length);
    expect(names[0]).toBe("r.zip!/dup.jpg");
    expect(names[2]).toBe("r.zip!/dup.jpg~2");
    expect(names[4]).toBe("r.zip!/dup~2.jpg");
    expect(names[1]).toMatch(/^r\.zip!\/dup~[0-9a-f]{8}\.jpg$/);
    expect(names[3]).toMatch(/^r\.zip!\/dup~[0-9a-f]{8}\.jpg$/);
    expect(memberItemNames("r.zip", raw, budget)).toEqual(names);
  });

  it("makes hostile member names safe: NUL, control characters, traversal, empty and huge names", () => {
    const raw = ["a\u0000b.jpg", "c\u0007\n.jpg", "../../etc/x.jpg", "..", "", `${"s".repeat(300)}.jpg`];
    const names = memberItemNames("h.zip", raw, budget).map((name) => name.slice("h.zip!/".length));
    expect(names.slice(0, 4)).toEqual(["a%00b.jpg", "c%07%0A.jpg", "etc/x.jpg", "(unnamed)"]);
    expect(names[4]).toMatch(/^\(unnamed\)~[0-9a-f]{8}$/);
    expect(names[5]).toMatch(/^s+!~[0-9a-f]{16}\.jpg$/);
    expect(bytes(names[5] as string)).toBeLessThanOrEqual(MAX_SEGMENT_BYTES);
    for (const name of names) expect([...name].some((char) => char.charCodeAt(0) < 0x20)).toBe(false);
  });
});
