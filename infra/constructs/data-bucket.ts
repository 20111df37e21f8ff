import { Duration, RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as s3 from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import { RESULTS_PREFIX } from "../../src/pipeline/bucket-layout.js";

export interface DataBucketProps {
  /**
   * Encrypt with this KMS key instead of S3-managed keys. Readers and writers get the key
   * permissions they need through `grantReadUnder` and `grantWriteUnder`.
   * @default - S3-managed keys (SSE-S3)
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * How long segmentation results stay under results/ before S3 deletes them.
   * @default Duration.days(30)
   */
  readonly resultsExpiration?: Duration;
  /**
   * How long an overwritten or deleted object's old version is kept.
   * @default Duration.days(30)
   */
  readonly noncurrentVersionExpiration?: Duration;
  /**
   * How long access logs (and other logs written to the log bucket) are kept.
   * @default Duration.days(90)
   */
  readonly logExpiration?: Duration;
  /**
   * What happens to both buckets when the stack is deleted. With DESTROY their objects are
   * deleted first (a custom resource does it), so deletion does not fail on a non-empty bucket.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The pipeline's bucket (uploads/, results/, models/, datasets/) and the bucket its access logs go
 * to: no public access, encrypted, TLS only, versioned.
 */
export class DataBucket extends Construct {
  readonly bucket: s3.Bucket;
  /** Receives the bucket's access logs; other logs (VPC flow logs) may go here too. */
  readonly logBucket: s3.Bucket;
  readonly encryptionKey?: kms.IKey;

  constructor(scope: Construct, id: string, props: DataBucketProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const autoDeleteObjects = removalPolicy === RemovalPolicy.DESTROY;
    this.encryptionKey = props.encryptionKey;

    this.logBucket = new s3.Bucket(this, "Logs", {
      // The only encryption S3 server access logging can deliver to.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      lifecycleRules: [{ expiration: props.logExpiration ?? Duration.days(90) }],
      removalPolicy,
      autoDeleteObjects,
    });
    Validations.of(this.logBucket).acknowledge({
      id: "AwsSolutions-S1",
      reason: "This is the access-log bucket; logging it into itself would loop.",
    });

    this.bucket = new s3.Bucket(this, "Bucket", {
      encryption: props.encryptionKey ? s3.BucketEncryption.KMS : s3.BucketEncryption.S3_MANAGED,
      encryptionKey: props.encryptionKey,
      // One KMS data key per bucket rather than per object: far fewer KMS requests.
      bucketKeyEnabled: props.encryptionKey ? true : undefined,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: "access-logs/",
      lifecycleRules: [
        { prefix: RESULTS_PREFIX, expiration: props.resultsExpiration ?? Duration.days(30) },
        {
          noncurrentVersionExpiration: props.noncurrentVersionExpiration ?? Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
      removalPolicy,
      autoDeleteObjects,
    });
  }

  /** Lets `grantee` read the objects under `prefix` (and decrypt them), nothing else. */
  grantReadUnder(grantee: iam.IGrantable, prefix: string): void {
    this.grantObjects(grantee, prefix, "s3:GetObject");
    this.encryptionKey?.grantDecrypt(grantee);
  }

  /** Lets `grantee` write objects under `prefix` (and encrypt them), nothing else. */
  grantWriteUnder(grantee: iam.IGrantable, prefix: string): void {
    this.grantObjects(grantee, prefix, "s3:PutObject");
    this.encryptionKey?.grant(grantee, "kms:GenerateDataKey");
  }

  /**
   * Lets `grantee` delete objects under `prefix`, nothing else. The bucket is versioned: a delete
   * adds a delete marker, and the old version stays until its noncurrent expiration.
   */
  grantDeleteUnder(grantee: iam.IGrantable, prefix: string): void {
    this.grantObjects(grantee, prefix, "s3:DeleteObject");
  }

  private grantObjects(grantee: iam.IGrantable, prefix: string, action: string): void {
    iam.Grant.addToPrincipal({
      grantee,
      actions: [action],
      resourceArns: [this.bucket.arnForObjects(`${prefix}*`)],
    });
    const principal = grantee.grantPrincipal;
    if (Construct.isConstruct(principal)) {
      // cdk-nag names the finding after the bucket's logical ID, as <LogicalId.Arn>.
      const stack = Stack.of(this);
      const bucketId: unknown = stack.resolve(
        (this.bucket.node.defaultChild as s3.CfnBucket).logicalId,
      );
      Validations.of(principal).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${String(bucketId)}.Arn>/${prefix}*]`,
        reason: `Every object under ${prefix}, and only there: a key prefix is the narrowest scope for objects named at run time.`,
      });
    }
  }
}
