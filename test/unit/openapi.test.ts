import { describe, expect, it } from 'vitest';
import { buildOpenApi } from '../../lib/openapi.ts';
import { operations } from '../../functions/catalog.ts';
import type { Operation } from '../../functions/http/operation.ts';

interface Parameter {
  name: string;
  in: string;
  description?: string;
  schema: Record<string, unknown>;
}
const document = buildOpenApi() as { paths: Record<string, Record<string, { parameters?: Parameter[]; responses: Record<string, unknown> }>> };
const documented = (op: Operation) => document.paths[op.path]![op.method.toLowerCase()]!;
const byName = (name: string): Operation => operations.find((op) => op.name === name)!;

describe('the OpenAPI document follows the catalog entries alone', () => {
  it('declares If-Match and a 412 exactly where the entry declares a 412: every BIAN change, restore, merge, unmerge and rotate-secret among them', () => {
    for (const op of operations) {
      const ifMatch = documented(op).parameters?.some((p) => p.in === 'header' && p.name === 'If-Match') ?? false;
      expect(ifMatch, op.name).toBe(412 in op.responses());
      expect('412' in documented(op).responses, op.name).toBe(412 in op.responses());
    }
    const honoured = operations.filter((op) => op.family.startsWith('bian') && op.method === 'PUT').map((op) => op.name);
    expect(honoured.length).toBe(20);
    for (const name of [...honoured, 'restoreCrmCustomer', 'mergeCrmCustomer', 'unmergeCrmCustomer', 'rotateWebhookSecret']) {
      expect(
        documented(byName(name)).parameters?.map((p) => p.name),
        name,
      ).toContain('If-Match');
      expect(documented(byName(name)).responses, name).toHaveProperty('412');
    }
  });

  it('gives every limit its range', () => {
    const limits = Object.fromEntries(
      operations.flatMap((op) => (documented(op).parameters ?? []).filter((p) => p.in === 'query' && p.name === 'limit').map((p) => [op.name, p.schema])),
    );
    expect(limits).toEqual({
      listCustomer: { type: 'integer', minimum: 1, maximum: 1000 },
      listCustomerV3: { type: 'integer', minimum: 1, maximum: 1000 },
      listCustomerV5: { type: 'integer', minimum: 1, maximum: 1000 },
      listCrmCustomers: { type: 'integer', minimum: 1, maximum: 200 },
      listCrmCustomersByOwner: { type: 'integer', minimum: 1, maximum: 200 },
      listCrmCustomersByStatus: { type: 'integer', minimum: 1, maximum: 200 },
      listMyCrmCustomers: { type: 'integer', minimum: 1, maximum: 200 },
      listOverdueActions: { type: 'integer', minimum: 1, maximum: 200 },
      listActivities: { type: 'integer', minimum: 1, maximum: 200 },
      listOpportunities: { type: 'integer', minimum: 1, maximum: 200 },
      exportCrmCustomer: { type: 'integer', minimum: 1, maximum: 500 },
      findCrmDuplicates: { type: 'integer', minimum: 1, maximum: 100 },
      listWebhookDeliveries: { type: 'integer', minimum: 1, maximum: 100 },
      listEvents: { type: 'integer', minimum: 1, maximum: 100 },
      listFields: { type: 'integer', minimum: 1, maximum: 500 },
      listTeams: { type: 'integer', minimum: 1, maximum: 500 },
      listRoles: { type: 'integer', minimum: 1, maximum: 500 },
      listUsers: { type: 'integer', minimum: 1, maximum: 500 },
      listImportResults: { type: 'integer', minimum: 1, maximum: 1000 },
    });
  });

  it('documents the query parameters an operation takes, and only those: TMF629 `fields` where it is honoured', () => {
    const query = (name: string) => (documented(byName(name)).parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
    for (const suffix of ['', 'V3', 'V5']) {
      for (const name of ['retrieveCustomer', 'createCustomer', 'patchCustomer']) expect(query(`${name}${suffix}`)).toEqual(['fields']);
      expect(query(`listCustomer${suffix}`)).toEqual([
        'fields',
        'offset',
        'limit',
        'cursor',
        'sort',
        'id',
        'name',
        'status',
        'statusReason',
        '@type',
        '@baseType',
        '@schemaLocation',
        'engagedParty.id',
        'validFor.startDateTime',
        'validFor.endDateTime',
      ]);
      expect(query(`deleteCustomer${suffix}`)).toEqual([]);
    }
    expect(query('replaceCustomer')).toEqual(['fields']);
    expect(query('retrieveListenerV5')).toEqual([]);
    expect(query('getCrmCustomer')).toEqual([]);
    expect(query('bianCaseMgmtRetrieve')).toEqual([]);
  });
});
