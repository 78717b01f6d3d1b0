import { Duration, NestedStack, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import type { Construct } from 'constructs';

export interface SearchDatabaseProps {
  deletionProtection: boolean;
  /** Aurora capacity units at most (each 2 GiB of memory); at least is 0: the cluster pauses when idle. */
  maxCapacity?: number;
}

/** The database search reads and the projector writes (functions/storage/search/): its name. */
export const SEARCH_DATABASE_NAME = 'rapport';

/**
 * The search projection's engine (issue 26): Aurora PostgreSQL Serverless v2, reached only through
 * the RDS Data API (HTTPS, IAM and the cluster's secret), so no function joins a VPC. Its capacity
 * goes down to 0 ACU when nothing searches or projects (it pauses; the first statement after waits
 * for it to resume, about 15 s), up to `maxCapacity`. The VPC it needs has isolated subnets only:
 * no NAT, no route out, nothing but the cluster in it. A nested stack of its own: the root stays
 * the size it was.
 */
export class SearchDatabase extends NestedStack {
  readonly cluster: rds.DatabaseCluster;

  constructor(scope: Construct, id: string, props: SearchDatabaseProps) {
    super(scope, id, { description: 'Rapport search: Aurora PostgreSQL Serverless v2 (Data API) holding the search projection' });
    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'database', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
    });
    Validations.of(vpc).acknowledge({
      id: 'AwsSolutions-VPC7',
      reason:
        'The VPC holds only the search cluster, in isolated subnets with no route out; nothing connects to it but the RDS Data API, whose calls CloudTrail records.',
    });
    this.cluster = new rds.DatabaseCluster(this, 'Cluster', {
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_17_5 }),
      writer: rds.ClusterInstance.serverlessV2('Writer'),
      serverlessV2MinCapacity: 0,
      serverlessV2MaxCapacity: props.maxCapacity ?? 8,
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      enableDataApi: true,
      defaultDatabaseName: SEARCH_DATABASE_NAME,
      storageEncrypted: true,
      iamAuthentication: true,
      backup: { retention: Duration.days(7) },
      deletionProtection: props.deletionProtection,
      // A projection: rebuilt from the table (npm run backfill), so a deleted stack's cluster need not outlive it.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.cluster).acknowledge(
      {
        id: 'AwsSolutions-RDS10',
        reason:
          'Deletion protection follows the stage (lib/stages.ts); the cluster holds a projection rebuilt from the DynamoDB table, never the only copy of anything.',
      },
      {
        id: 'AwsSolutions-RDS11',
        reason: 'No client connects on a port: the functions reach the cluster through the RDS Data API only, and its security group admits nothing.',
      },
      {
        id: 'AwsSolutions-SMG4',
        reason: 'The cluster secret is read by the RDS Data API on the functions’ behalf; rotating it is an operator action (README, "Operating Rapport").',
      },
    );
  }

  /** What a function needs to reach the database: the Data API on this cluster and its secret. */
  grantAccess(role: iam.IGrantable): void {
    this.cluster.grantDataApiAccess(role);
  }

  /** The environment the functions read (functions/storage/search/sql.ts). */
  get functionEnvironment(): Record<string, string> {
    return {
      SEARCH_CLUSTER_ARN: this.cluster.clusterArn,
      SEARCH_SECRET_ARN: this.cluster.secret!.secretArn,
      SEARCH_DATABASE: SEARCH_DATABASE_NAME,
    };
  }
}
