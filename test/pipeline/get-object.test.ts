import { PutObjectCommand } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { getObjectOrNull } from "../../src/pipeline/get-object.js";
import { localS3 } from "../s3.js";

const s3 = localS3();

describe("getObjectOrNull", () => {
  it("gives the object, null for a key with none, and throws other faults", async () => {
    await s3.client.send(
      new PutObjectCommand({ Bucket: s3.bucket, Key: "here.json", Body: '{"a":1}' }),
    );
    const object = await getObjectOrNull(s3.client, { Bucket: s3.bucket, Key: "here.json" });
    expect(await object?.Body?.transformToString()).toBe('{"a":1}');
    expect(await getObjectOrNull(s3.client, { Bucket: s3.bucket, Key: "absent.json" })).toBeNull();
    await expect(
      getObjectOrNull(s3.client, { Bucket: "no-such-bucket", Key: "here.json" }),
    ).rejects.toMatchObject({ name: "NoSuchBucket" });
  });
});
