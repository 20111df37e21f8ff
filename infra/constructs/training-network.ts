import * as ec2 from "aws-cdk-lib/aws-ec2";
import type * as s3 from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";

export interface TrainingNetworkProps {
  /** Where the VPC's flow logs go (under vpc-flow-logs/). */
  readonly flowLogBucket: s3.IBucket;
}

/**
 * The training instances' VPC: public subnets only, no NAT gateway. The instances get public IPs
 * and a security group (training-job.ts) with no inbound rule that lets out HTTPS alone; they
 * reach ECR, ECS, CloudWatch Logs and Batch over the internet gateway, and S3 (the data, and ECR's
 * image layers) over a gateway endpoint. Nothing
 * here costs anything while no instance runs: a NAT gateway (about $33 a month) or the five or
 * more interface endpoints the instances would need without public IPs (about $7 a month each,
 * per availability zone) would bill around the clock for a job that runs a few hours a week.
 */
export class TrainingNetwork extends Construct {
  readonly vpc: ec2.Vpc;
  /** The subnets the instances launch in. */
  readonly subnets: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PUBLIC };

  constructor(scope: Construct, id: string, props: TrainingNetworkProps) {
    super(scope, id);
    this.vpc = new ec2.Vpc(this, "Vpc", {
      natGateways: 0,
      subnetConfiguration: [{ name: "public", subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 }],
      // Free, and keeps S3 traffic (datasets, models, image layers) off the internet.
      gatewayEndpoints: { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
      flowLogs: {
        s3: { destination: ec2.FlowLogDestination.toS3(props.flowLogBucket, "vpc-flow-logs/") },
      },
    });
  }
}
