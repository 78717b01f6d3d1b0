import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { handler as patchCustomer } from '../../functions/tmf629/patch-customer.ts';
import { handler as createCustomer } from '../../functions/tmf629/create-customer.ts';
import { tmf629 } from '../../functions/tmf629/operations.ts';
import { call } from '../../lib/local/direct-call.ts';

const ddb = mockClient(DynamoDBDocumentClient);
afterEach(() => ddb.reset());
// The tenant's custom field definitions (one Query): none.
beforeEach(() => ddb.on(QueryCommand).resolves({ Items: [] }));

const stored = (version: number, name = 'Moon') => ({
  Item: {
    pk: 'T#tenant-a#CUSTOMER#c1',
    sk: 'CUSTOMER',
    entity: 'CUSTOMER',
    id: 'c1',
    tenantId: 'tenant-a',
    version,
    sequence: version,
    created: '2026-01-01T00:00:00.000Z',
    createdBy: 'u',
    updated: '2026-01-01T00:00:00.000Z',
    updatedBy: 'u',
    name,
    engagedParty: { id: '1', '@referredType': 'Organization' },
  },
});

const conditionalFailure = () =>
  Object.assign(new Error('Transaction cancelled'), {
    name: 'TransactionCanceledException',
    CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
  });

describe('handler failure paths (mocked DynamoDB)', () => {
  it('re-reads and retries when another writer committed first, so both changes land', async () => {
    ddb.on(GetCommand).resolvesOnce(stored(1)).resolves(stored(2, 'Renamed by someone else'));
    ddb.on(TransactWriteCommand).rejectsOnce(conditionalFailure()).resolves({});
    const answer = await call(patchCustomer, tmf629.patchCustomer, { params: { id: 'c1' }, body: { status: 'Approved' } });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ name: 'Renamed by someone else', status: 'Approved' });
    expect(answer.headers.etag).toBe('"3"');
    const writes = ddb.commandCalls(TransactWriteCommand);
    expect(writes).toHaveLength(2);
    expect(writes[1]!.args[0].input.TransactItems![0]!.Put!.ExpressionAttributeValues).toEqual({ ':expected': 2 });
  });

  it('answers 412 when If-Match was given and another writer committed first', async () => {
    ddb.on(GetCommand).resolvesOnce(stored(1)).resolves(stored(2));
    ddb.on(TransactWriteCommand).rejects(conditionalFailure());
    const answer = await call(patchCustomer, tmf629.patchCustomer, { params: { id: 'c1' }, body: { status: 'Approved' }, headers: { 'if-match': '"1"' } });
    expect(answer.status).toBe(412);
    expect(answer.body).toMatchObject({ code: 'PRECONDITION_FAILED', reason: 'Precondition Failed', status: '412' });
  });

  it('maps DynamoDB throttling to 503 with Retry-After in the TMF error body, never a 500', async () => {
    ddb.on(TransactWriteCommand).rejects(Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' }));
    const answer = await call(createCustomer, tmf629.createCustomer, { body: { name: 'Moon', engagedParty: { id: '1', '@referredType': 'Organization' } } });
    expect(answer.status).toBe(503);
    expect(answer.headers['retry-after']).toBe('1');
    expect(answer.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: '503' });
  });

  it('hides unexpected failures behind a 500 that leaks nothing', async () => {
    ddb.on(GetCommand).rejects(new Error('socket hang up at 10.1.2.3'));
    const answer = await call(patchCustomer, tmf629.patchCustomer, { params: { id: 'c1' }, body: { status: 'Approved' } });
    expect(answer.status).toBe(500);
    expect(JSON.stringify(answer.body)).not.toContain('10.1.2.3');
  });
});
