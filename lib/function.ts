import { join } from 'node:path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

const PROJECT_ROOT = join(import.meta.dirname, '..');

/** What every Rapport function is told: the table and the name of the tenant claim. */
export interface FunctionCommon {
  tableName: string;
  tenantClaim: string;
  /** How long a deleted customer can be restored (functions/storage/customers/customer-lifecycle.ts). */
  customerRetentionDays: number;
  /** The webhook delivery queue (a redelivery is queued by an API function). */
  webhookQueueUrl: string;
  /** The KMS key signing secrets are sealed under (functions/storage/table/sealed-secrets.ts); what a function may do with it is its role's. */
  secretsKeyId: string;
}

/** Settings a function may add or override: description, memory, timeout, environment, concurrency. */
export type FunctionExtras = Omit<Partial<NodejsFunctionProps>, 'entry' | 'role' | 'logGroup'>;

export interface RapportFunctionProps extends FunctionExtras {
  /** Handler file relative to the project root. */
  entry: string;
  role: iam.IRole;
  logGroup: logs.ILogGroup;
  /** The Powertools service name (its family, or publisher, notifier, due-sweep, auth). */
  service: string;
  common: FunctionCommon;
}

/**
 * Built-in modules a bundle takes through a shim (a file under the project root): `node:http`
 * through `require`, because Node's ESM loader reads every export of a built-in it imports and
 * node:http's WebSocket, CloseEvent and MessageEvent getters load all of undici, about 20 ms of
 * every cold start (bench table 2; lib/bundle-shims/node-http.cjs).
 */
export const BUNDLE_ALIASES: Record<string, string> = { 'node:http': 'lib/bundle-shims/node-http.cjs' };

/** How every function is bundled; `lib/bundle.ts` builds with the same settings for the size checks and the bench. */
export const BUNDLING = {
  target: 'node24',
  minify: true,
  mainFields: ['module', 'main'],
  banner: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  sourceMap: true,
  sourcesContent: false,
  esbuildArgs: { '--alias': Object.entries(BUNDLE_ALIASES).map(([module, shim]) => `${module}=./${shim}`) },
};

/** An ESM bundle with files written beside it once it is built (what its function reads from its own package). */
const withFilesBeside = (banner: string, afterBundling: (inputDir: string, outputDir: string) => string[]) => ({
  ...BUNDLING,
  banner,
  format: OutputFormat.ESM,
  externalModules: [],
  commandHooks: { beforeBundling: (): string[] => [], beforeInstall: (): string[] => [], afterBundling },
});

/**
 * The authorizer's bundle: Cedar's Node build reads its WebAssembly from `__dirname`, which an ESM
 * bundle defines here, and the .wasm file is copied beside the bundle (only this function loads it).
 */
export const CEDAR_BUNDLING = withFilesBeside(
  `${BUNDLING.banner} import { fileURLToPath as __fu } from 'node:url'; import { dirname as __dn } from 'node:path'; const __dirname = __dn(__fu(import.meta.url));`,
  (inputDir, outputDir) => [`cp ${inputDir}/node_modules/@cedar-policy/cedar-wasm/nodejs/cedar_wasm_bg.wasm ${outputDir}/`],
);

/** The docs function's bundle: the OpenAPI document and Swagger UI's files are written beside it (bin/docs-files.ts). */
export const DOCS_BUNDLING = withFilesBeside(BUNDLING.banner, (inputDir, outputDir) => [
  `"${inputDir}/node_modules/.bin/tsx" "${inputDir}/bin/docs-files.ts" "${outputDir}"`,
]);

/**
 * Not given to the functions: with `--enable-source-maps` Node reads and parses the bundle's source
 * map on every cold start (bench table 2: about a fifth more cold-start CPU than the bundle alone).
 * The map ships beside the bundle in the function's package (`BUNDLING.sourceMap`): a position in a
 * logged stack trace is resolved offline with it. The bench measures what it would cost.
 */
export const SOURCE_MAPS_NODE_OPTIONS = '--enable-source-maps';

/** The logical id of an operation's function: its catalog name, capitalised. */
export const functionId = (name: string): string => `${name[0]!.toUpperCase()}${name.slice(1)}Function`;

/** Every function: Node 24 on arm64, ESM bundle, X-Ray active, JSON logs, its service named for Powertools. */
export const rapportFunction = (scope: Construct, id: string, { entry, role, logGroup, service, common, environment, ...extra }: RapportFunctionProps) =>
  new NodejsFunction(scope, id, {
    entry: join(PROJECT_ROOT, entry),
    projectRoot: PROJECT_ROOT,
    depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    tracing: lambda.Tracing.ACTIVE,
    role,
    logGroup,
    loggingFormat: lambda.LoggingFormat.JSON,
    environment: {
      TABLE_NAME: common.tableName,
      TENANT_CLAIM: common.tenantClaim,
      CUSTOMER_RETENTION_DAYS: String(common.customerRetentionDays),
      WEBHOOK_QUEUE_URL: common.webhookQueueUrl,
      SECRETS_KEY_ID: common.secretsKeyId,
      POWERTOOLS_SERVICE_NAME: service,
      ...environment,
    },
    bundling: {
      ...BUNDLING,
      format: OutputFormat.ESM,
      externalModules: [],
    },
    ...extra,
  });
