import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { CopyObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startLocalBucket } from "../../src/pipeline/local-bucket.js";
import type { LocalBucket } from "../../src/pipeline/local-bucket.js";
import { temporaryFolder } from "../helpers.js";

const root = temporaryFolder();
const data = join(root, "data");
let bucket: LocalBucket;

beforeAll(async () => {
  mkdirSync(data);
  bucket = await startLocalBucket({ directory: data, port: 0 });
});

afterAll(async () => {
  await bucket?.close();
});

/** A request as a client that does not normalise the path sends it: the path exactly as given. */
function send(method: string, path: string, body = ""): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(bucket.endpoint);
    const req = request({ hostname, port, method, path }, (res) => {
      let text = "";
      res.on("data", (chunk: Buffer) => (text += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("local bucket", () => {
  it("refuses keys with . or .. segments with an S3 error, writing nothing outside its folder", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const prefix = `/${bucket.bucket}/uploads`;
    for (const [method, path] of [
      ["PUT", `${prefix}/../../../escaped.png`],
      ["PUT", `${prefix}/%2E%2E/%2E%2E/%2E%2E/escaped-encoded.png`],
      ["PUT", `${prefix}/./here.png`],
      ["GET", `${prefix}/../../../escaped.png`],
    ]) {
      const answer = await send(method, path, method === "PUT" ? "not really a png" : "");
      expect(answer.status, `${method} ${path}`).toBe(400);
      expect(answer.body, `${method} ${path}`).toContain("<Code>InvalidArgument</Code>");
    }
    const client = bucket.client();
    await expect(
      client.send(
        new PutObjectCommand({
          Bucket: bucket.bucket,
          Key: "uploads/../../../escaped-by-sdk.png",
          Body: "x",
        }),
      ),
    ).rejects.toMatchObject({ name: "InvalidArgument" });
    // the copy's source comes in a header, which no client normalises
    await expect(
      client.send(
        new CopyObjectCommand({
          Bucket: bucket.bucket,
          Key: "uploads/copy.png",
          CopySource: `${bucket.bucket}/uploads/../../../secret`,
        }),
      ),
    ).rejects.toMatchObject({ name: "InvalidArgument" });
    await client.send(
      new PutObjectCommand({ Bucket: bucket.bucket, Key: "uploads/fine..png", Body: "ok" }),
    );
    client.destroy();
    const lines = logged.mock.calls.map((call) => String(call[0]));
    logged.mockRestore();
    expect(readdirSync(root)).toEqual(["data"]);
    expect(readdirSync(data)).toEqual([bucket.bucket]);
    expect(existsSync(join(data, bucket.bucket, "uploads", "here.png._S3rver_object"))).toBe(false);
    expect(lines).toContain(
      "local bucket: refused uploads/../../../escaped.png: a key with . or .. segments would name another file, perhaps outside the bucket's folder",
    );
  });
});
