import { describe, expect, it } from "vitest";
import {
  bucketRefusal,
  keyRefusal,
  MAX_KEY_BYTES,
  uploadIdRefusal,
} from "../../../packages/core/src/twin/s3-key-policy.js";

describe("the twin's S3 key policy", () => {
  it("refuses keys over 1,024 UTF-8 bytes, as S3 does", () => {
    expect(keyRefusal("a".repeat(MAX_KEY_BYTES))).toBeUndefined();
    expect(keyRefusal("a".repeat(MAX_KEY_BYTES + 1))?.code).toBe("KeyTooLongError");
    // 513 characters, 1,026 bytes.
    expect(keyRefusal("é".repeat(513))).toMatchObject({ status: 400, code: "KeyTooLongError" });
  });

  it("refuses '.' and '..' segments, with '/' or '\\' as separator (stricter than S3)", () => {
    for (const key of ["../x", "a/../b", "a/./b", "a/..", ".", "a\\..\\b", "..\\x", "a/.\\b"]) {
      expect(keyRefusal(key), key).toMatchObject({ status: 400, code: "InvalidArgument" });
    }
    for (const key of ["a/...", "a/..b", ".hidden/x", "a/b.", "uploads/frames/j/x..y.jpg", "a//b"]) {
      expect(keyRefusal(key), key).toBeUndefined();
    }
  });

  it("refuses bucket names and upload ids that are not one plain file name", () => {
    expect(bucketRefusal("marquee-local-media")).toBeUndefined();
    for (const bucket of ["..", ".", "a/b", "a\\b", ""])
      expect(bucketRefusal(bucket)?.code).toBe("InvalidBucketName");
    expect(uploadIdRefusal("0123456789abcdef0123456789abcdef")).toBeUndefined();
    expect(uploadIdRefusal("../../x")?.code).toBe("NoSuchUpload");
  });
});
