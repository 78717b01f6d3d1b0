import type { PGlite, Transaction } from '@electric-sql/pglite';
import { useSqlClient, type SqlClient, type SqlRow } from '../../functions/storage/search/sql.ts';

/**
 * The search projection's database on one machine: PGlite (npm `@electric-sql/pglite`), PostgreSQL
 * compiled to WebAssembly and run in this process, with the same SQL as Aurora in AWS
 * (functions/storage/search/). Opened when search is first used (about 3 s: PostgreSQL starts),
 * kept in `dataDir` (the runtime's state directory) or in memory.
 */
const clientOf = (db: PGlite | Transaction): SqlClient => ({
  query: async (text, params = []) => (await db.query<SqlRow>(text, [...params])).rows,
  transaction: (run) => ('transaction' in db ? db.transaction((tx) => run(clientOf(tx))) : run(clientOf(db))),
});

export interface SearchEngine {
  /** Opens the database now (the local runtime does, before it answers: the first search and the first projected change wait for nothing). */
  open(): Promise<void>;
  /** Closes the database if it was opened. */
  stop(): Promise<void>;
}

export const useLocalSearchEngine = (dataDir?: string): SearchEngine => {
  let opened: Promise<PGlite> | undefined;
  const database = () =>
    (opened ??= (async () => {
      const [{ PGlite }, { fuzzystrmatch }, { pg_trgm }, { btree_gin }] = await Promise.all([
        import('@electric-sql/pglite'),
        import('@electric-sql/pglite/contrib/fuzzystrmatch'),
        import('@electric-sql/pglite/contrib/pg_trgm'),
        import('@electric-sql/pglite/contrib/btree_gin'),
      ]);
      return PGlite.create({ ...(dataDir ? { dataDir } : {}), extensions: { fuzzystrmatch, pg_trgm, btree_gin } });
    })());
  useSqlClient(async () => clientOf(await database()));
  return {
    open: async () => {
      await database();
    },
    stop: async () => {
      useSqlClient(undefined);
      if (opened) await (await opened).close();
    },
  };
};
