import { describe, expect, expectTypeOf, it } from 'vitest';
import * as z from 'zod/mini';
import { defineHandler, type OperationRequest } from '../../functions/http/kernel.ts';
import type { Operation } from '../../functions/http/operation.ts';
import type { crm } from '../../functions/crm/operations.ts';
import type { tmf629 } from '../../functions/tmf629/operations.ts';
import type { bianCrm } from '../../functions/bian-crm/operations.ts';
import { call } from '../../lib/local/direct-call.ts';

/** An operation of the shape every family writes: one object literal, `as const satisfies Operation`. */
const probe = {
  name: 'probeThings',
  family: 'crm',
  method: 'POST',
  path: '/probe/{thingId}/parts/{partId}',
  handler: 'functions/crm/probe-things.ts',
  access: 'read',
  summary: 'A probe of the kernel',
  responses: () => ({ 200: { description: 'ok' } }),
  request: {
    body: { 'application/json': z.object({ count: z.number() }) },
    query: z.object({
      limit: z.pipe(
        z.string(),
        z.transform((text) => Number(text)),
      ),
    }),
  },
} as const satisfies Operation;

describe('typed operations: the request a handler gets follows its catalog entry', () => {
  it('types body, query and path parameters from the entry (checked by tsc)', () => {
    expectTypeOf<OperationRequest<typeof probe>['body']>().toEqualTypeOf<{ count: number }>();
    expectTypeOf<OperationRequest<typeof probe>['query']>().toEqualTypeOf<{ limit: number }>();
    expectTypeOf<OperationRequest<typeof probe>['params']>().toEqualTypeOf<{ thingId: string; partId: string }>();
    expectTypeOf<OperationRequest<typeof crm.setNextAction>['params']>().toEqualTypeOf<{ id: string }>();
    expectTypeOf<OperationRequest<typeof crm.updateCrmStatus>['body']>().toHaveProperty('crmStatus');
    expectTypeOf<OperationRequest<typeof crm.listCrmCustomers>['query']>().toHaveProperty('cursor');
    expectTypeOf<OperationRequest<typeof tmf629.retrieveCustomer>['body']>().toEqualTypeOf<undefined>();
    expectTypeOf<OperationRequest<typeof bianCrm.bianCrmUpdate>['params']>().toEqualTypeOf<{ customerrelationshipmanagementid: string }>();
  });

  it('hands the handler the query as the schema parsed it, and answers 400 for one it refuses', async () => {
    const seen: unknown[] = [];
    const handler = defineHandler(probe, async (request) => {
      seen.push(request.query.limit, request.body.count, request.params.partId);
      return { status: 200, body: {} };
    });
    const answer = await call(handler, probe, { params: { thingId: 't', partId: 'p' }, query: { limit: '7' }, body: { count: 2 } });
    expect(answer.status).toBe(200);
    expect(seen).toEqual([7, 2, 'p']);
    const refused = await call(handler, probe, { params: { thingId: 't', partId: 'p' }, query: {}, body: { count: 2 } });
    expect(refused.status).toBe(400);
    expect(seen).toHaveLength(3);
  });
});
