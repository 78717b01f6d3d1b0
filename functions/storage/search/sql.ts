import {
  BeginTransactionCommand,
  CommitTransactionCommand,
  ExecuteStatementCommand,
  RDSDataClient,
  RollbackTransactionCommand,
  type SqlParameter,
} from '@aws-sdk/client-rds-data';
import { awsClient } from '../../aws-clients.ts';

/**
 * The search projection's database (issue 26): PostgreSQL. In AWS, Aurora PostgreSQL Serverless v2
 * through the RDS Data API (HTTPS: the functions need no VPC); on one machine, PGlite — real
 * PostgreSQL in-process — which the local runtime and the tests hand in with `useSqlClient` (it
 * stays out of every Lambda bundle). Both run the same SQL text: positional parameters (`$1`),
 * scalars only (strings, numbers, booleans, null); arrays and documents travel as JSON text cast in
 * the statement (`$2::jsonb`), because the Data API takes no array parameters.
 */

export type SqlParam = string | number | boolean | null;
export type SqlRow = Record<string, unknown>;

export interface SqlClient {
  /** One statement; its rows as objects (column name → value; jsonb parsed, bigint as number). */
  query(text: string, params?: readonly SqlParam[]): Promise<SqlRow[]>;
  /** Statements in one transaction: committed when `run` resolves, rolled back when it throws. */
  transaction<T>(run: (client: SqlClient) => Promise<T>): Promise<T>;
}

let current: Promise<SqlClient> | undefined;
let open: (() => Promise<SqlClient>) | undefined;

/**
 * Hands the projection a database, opened when first used: the local runtime's and the tests'
 * PGlite (lib/local/search-engine.ts). Undefined goes back to the Aurora cluster.
 */
export const useSqlClient = (opener: (() => Promise<SqlClient>) | undefined): void => {
  open = opener;
  current = undefined;
};

/** The projection's database: the one handed in, or the Aurora cluster the stack names (SEARCH_CLUSTER_ARN, SEARCH_SECRET_ARN, SEARCH_DATABASE). */
export const sqlClient = (): Promise<SqlClient> => {
  if (!current) {
    const opening = open ? open() : Promise.resolve(dataApiClient());
    current = opening;
    opening.catch(() => {
      if (current === opening) current = undefined;
    });
  }
  return current;
};

const parameterOf = (value: SqlParam, i: number): SqlParameter => {
  const name = `p${i + 1}`;
  if (value === null) return { name, value: { isNull: true } };
  if (typeof value === 'boolean') return { name, value: { booleanValue: value } };
  if (typeof value === 'number') return { name, value: Number.isInteger(value) ? { longValue: value } : { doubleValue: value } };
  return { name, value: { stringValue: value } };
};

/**
 * `$1` → `:p1`, as the Data API names parameters, and a parameter's cast `$2::jsonb` →
 * `CAST(:p2 AS jsonb)` (its parser would take `::` for the start of a name). Statements hold no
 * literal with a `$`: every value is a parameter.
 */
export const toDataApiText = (text: string): string => text.replace(/\$(\d+)::(\w+)/g, 'CAST(:p$1 AS $2)').replace(/\$(\d+)/g, ':p$1');

const dataApiClient = (): SqlClient => {
  const resourceArn = process.env.SEARCH_CLUSTER_ARN;
  const secretArn = process.env.SEARCH_SECRET_ARN;
  const database = process.env.SEARCH_DATABASE ?? 'rapport';
  if (!resourceArn || !secretArn) throw new Error('SEARCH_CLUSTER_ARN and SEARCH_SECRET_ARN are not set: the stack sets them for the search functions.');
  const rds = awsClient(new RDSDataClient({}));
  const run = async (text: string, params: readonly SqlParam[] = [], transactionId?: string): Promise<SqlRow[]> => {
    const answer = await rds.send(
      new ExecuteStatementCommand({
        resourceArn,
        secretArn,
        database,
        sql: toDataApiText(text),
        parameters: params.map(parameterOf),
        formatRecordsAs: 'JSON',
        ...(transactionId ? { transactionId } : {}),
      }),
    );
    return answer.formattedRecords ? (JSON.parse(answer.formattedRecords) as SqlRow[]) : [];
  };
  return {
    query: (text, params) => run(text, params),
    transaction: async (body) => {
      const { transactionId } = await rds.send(new BeginTransactionCommand({ resourceArn, secretArn, database }));
      try {
        const inside: SqlClient = { query: (text, params) => run(text, params, transactionId), transaction: (inner) => inner(inside) };
        const result = await body(inside);
        await rds.send(new CommitTransactionCommand({ resourceArn, secretArn, transactionId }));
        return result;
      } catch (error) {
        await rds.send(new RollbackTransactionCommand({ resourceArn, secretArn, transactionId })).catch(() => undefined);
        throw error;
      }
    },
  };
};
