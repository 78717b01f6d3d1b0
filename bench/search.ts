/**
 * Table 13: search (issue 26) in the projection (PGlite in this process: the SQL Aurora runs) at
 * growing tenants: five typical searches — five predicates and two sort keys, full text with a
 * typo, a facet query, an exact count, a page deep in the results reached by cursor — each p50 and
 * p95, and their ratio to the smallest tenant. Customers are written to the projection as the
 * projector writes them (their documents, in statements of 200 rows), with a second tenant of the
 * same size beside them. No DynamoDB: the page's customers are read from the table by the
 * operation, one BatchGetItem of at most 2 × 100 keys, measured in table 3.
 */
import { useLocalSearchEngine } from '../lib/local/search-engine.ts';
import { projectCustomers, searchCustomers, searchDatabase, searchStatements, type SearchRequest } from '../functions/storage/search/customer-search.ts';
import { resolveFilter, resolveQ, resolveSort, searchDocumentOf, searchFieldsOf } from '../functions/domain/search-model.ts';
import { median, percentile, table } from './stats.ts';

const FIRST = ['Anna', 'Bruno', 'Chloé', 'David', 'Emma', 'Farid', 'Greta', 'Hugo', 'Inès', 'Jules', 'Karin', 'Louis', 'Maya', 'Noah', 'Olga', 'Paul'];
const LAST = ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent', 'Lefèvre', 'Michel'];
const CITIES = ['Lyon', 'Paris', 'Marseille', 'Lille', 'Nantes', 'Bordeaux', 'Toulouse', 'Nice', 'Rennes', 'Dijon'];
const TIERS = ['gold', 'silver', 'bronze', 'none'];
const STATUSES = ['LEAD', 'PROSPECT', 'ACTIVE', 'CUSTOMER', 'INACTIVE', 'CHURNED'];
const TAGS = ['vip', 'newsletter', 'churn-risk', 'partner', 'b2b', 'event-2026'];

const fields = searchFieldsOf([
  { key: 'tier', label: 'Tier', type: 'enum', searchable: true, options: TIERS.map((key) => ({ key, label: key })) },
  { key: 'revenue', label: 'Revenue', type: 'decimal', searchable: true },
]);

/** A customer as the CRM stores it, the i-th of a tenant: names, cities, owners, statuses, tags, dates and custom values spread evenly. */
const customer = (tenantId: string, i: number) => {
  const day = new Date(Date.UTC(2026, 0, 1) + (i % 365) * 86_400_000).toISOString();
  return {
    tenantId,
    id: `c${String(i).padStart(8, '0')}`,
    name: `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]} ${i}`,
    crmStatus: STATUSES[i % STATUSES.length],
    ownerId: `owner-${i % 200}`,
    teamId: `team-${i % 40}`,
    tags: TAGS.filter((_, t) => (i >> t) % 3 === 0),
    nextActionDueDate: i % 4 === 0 ? new Date(Date.UTC(2026, 11, 1) + (i % 30) * 86_400_000).toISOString() : undefined,
    created: day,
    updated: day,
    engagedParty: { id: `p${i}`, '@referredType': i % 3 ? 'Individual' : 'Organization' },
    contactMedium: [
      { mediumType: 'Email', characteristic: { emailAddress: `${FIRST[i % FIRST.length]!.toLowerCase()}.${i}@example.com` } },
      { mediumType: 'PostalAddress', characteristic: { city: CITIES[i % CITIES.length], country: 'FR' } },
    ],
    customFields: { tier: TIERS[i % TIERS.length], revenue: (i * 37) % 100_000 },
  };
};

const now = Date.parse('2026-12-02T10:00:00.000Z');

/** The five searches, as the operation makes them (the tenant, everything its caller reaches). */
const searches = (tenantId: string): [string, () => SearchRequest | Promise<SearchRequest>][] => {
  const base = { tenantId, fields, limit: 50, count: false, facets: [] as string[] };
  return [
    [
      '5 predicates, 2 sort keys (gold customers in Lyon, owner among 3, next action this month, not churn-risk; by due date, name)',
      () => ({
        ...base,
        filter: resolveFilter(
          {
            and: [
              { field: 'customFields.tier', op: 'eq', value: 'gold' },
              { field: 'city', op: 'eq', value: 'Lyon' },
              { field: 'ownerId', op: 'in', value: ['owner-0', 'owner-10', 'owner-20'] },
              { field: 'nextActionDueDate', op: 'nextDays', value: 30 },
              { not: { field: 'tags', op: 'containsAny', value: ['churn-risk'] } },
            ],
          },
          fields,
          now,
        ),
        sort: resolveSort([{ field: 'nextActionDueDate' }, { field: 'name' }], fields),
      }),
    ],
    [
      'contains (name contains "bois", of 14 family names)',
      () => ({ ...base, filter: resolveFilter({ field: 'name', op: 'contains', value: 'bois' }, fields, now), sort: resolveSort(undefined, fields) }),
    ],
    ['full text with a typo (q "emma duboys")', () => ({ ...base, filter: resolveQ('emma duboys', fields), sort: resolveSort(undefined, fields) })],
    [
      'facets: status and tags of the customers of 4 teams',
      () => ({
        ...base,
        filter: resolveFilter({ field: 'teamId', op: 'in', value: ['team-1', 'team-2', 'team-3', 'team-4'] }, fields, now),
        sort: resolveSort(undefined, fields),
        facets: ['crmStatus', 'tags'],
      }),
    ],
    [
      'an exact count (revenue over 50,000)',
      () => ({
        ...base,
        limit: 1,
        filter: resolveFilter({ field: 'customFields.revenue', op: 'gt', value: 50_000 }, fields, now),
        sort: resolveSort(undefined, fields),
        count: true,
      }),
    ],
    [
      'deep paging: the 20th page of 50 by name, reached by cursor',
      async () => {
        const request: SearchRequest = { ...base, sort: resolveSort(undefined, fields) };
        let after: SearchRequest['after'];
        for (let page = 1; page < 20; page++) after = (await searchCustomers({ ...request, ...(after ? { after } : {}) })).next;
        return { ...request, ...(after ? { after } : {}) };
      },
    ],
  ];
};

/** The indexes PostgreSQL's plan for a search's page uses (EXPLAIN), or how it reads the rows when none. */
const planOf = async (request: SearchRequest): Promise<string> => {
  const db = await searchDatabase();
  const [page] = searchStatements(request);
  const [row] = await db.query(`EXPLAIN (FORMAT JSON) ${page!.text}`, page!.params);
  const plan = (typeof row!['QUERY PLAN'] === 'string' ? JSON.parse(row!['QUERY PLAN']) : row!['QUERY PLAN']) as { Plan: PlanNode }[];
  const used = new Set<string>();
  const walk = (node: PlanNode) => {
    if (node['Index Name']) used.add(`${node['Node Type']} ${node['Index Name'].replace('customer_search_', '')}`);
    else if (node['Node Type'] === 'Seq Scan') used.add('Seq Scan');
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(plan[0]!.Plan);
  return [...used].join(', ');
};
interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

export const measureSearch = async (sizes: readonly number[], runs: number): Promise<string[]> => {
  const engine = useLocalSearchEngine();
  try {
    const db = await searchDatabase();
    const rows: (string | number)[][] = [];
    const medians = new Map<string, number>();
    const loaded: string[] = [];
    let written = 0;
    for (const size of sizes) {
      const started = performance.now();
      for (const tenantId of ['bench-search', 'bench-search-other']) {
        const batch = [];
        for (let i = written; i < size; i++) {
          batch.push({ document: searchDocumentOf(customer(tenantId, i), fields), version: 1 });
          if (batch.length === 2_000) await projectCustomers(batch.splice(0));
        }
        await projectCustomers(batch);
      }
      await db.query('ANALYZE customer_search');
      const [{ bytes }] = (await db.query("SELECT pg_total_relation_size('customer_search')::float8 AS bytes")) as [{ bytes: number }];
      loaded.push(
        `${size.toLocaleString('en')}: ${(((size - written) * 2) / ((performance.now() - started) / 1000)).toFixed(0)} rows/s, ${(Number(bytes) / (size * 2)).toFixed(0)} bytes a customer with its indexes`,
      );
      written = size;
      for (const [name, make] of searches('bench-search')) {
        const request = await make();
        await searchCustomers(request);
        const samples: number[] = [];
        for (let r = 0; r < runs; r++) {
          const start = performance.now();
          await searchCustomers(request);
          samples.push(performance.now() - start);
        }
        const p50 = median(samples);
        if (!medians.has(name)) medians.set(name, p50);
        rows.push([
          name,
          size.toLocaleString('en'),
          p50.toFixed(1),
          percentile(samples, 95).toFixed(1),
          (p50 / medians.get(name)!).toFixed(1),
          await planOf(request),
        ]);
      }
    }
    rows.sort((a, b) => String(a[0]).localeCompare(String(b[0])) || Number(String(a[1]).replaceAll(',', '')) - Number(String(b[1]).replaceAll(',', '')));
    return [
      `Two tenants of each size in one projection; PGlite ${'0.5.17'} (PostgreSQL 18, WebAssembly, one process). Projected at ${loaded.join(', ')}.`,
      '',
      ...table(['search', 'customers in the tenant', 'ms p50', 'ms p95', 'p50 / smallest tenant', "the page's plan: indexes used"], rows),
    ];
  } finally {
    await engine.stop();
  }
};
