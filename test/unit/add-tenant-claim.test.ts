import { describe, expect, it } from 'vitest';
import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { handler } from '../../functions/auth/add-tenant-claim.ts';
import { lambdaContext } from '../../lib/local/direct-call.ts';

const event = (attributes: Record<string, string>) =>
  ({ request: { userAttributes: attributes }, response: {} }) as unknown as PreTokenGenerationV2TriggerEvent;

describe('Cognito pre-token trigger', () => {
  it('copies custom:tenant into the access and id tokens as the tenant claim', async () => {
    const result = await handler(event({ sub: 'u', 'custom:tenant': 'acme' }), lambdaContext('tenant-claim'));
    expect(result.response.claimsAndScopeOverrideDetails?.accessTokenGeneration?.claimsToAddOrOverride).toEqual({ tenant: 'acme' });
    expect(result.response.claimsAndScopeOverrideDetails?.idTokenGeneration?.claimsToAddOrOverride).toEqual({ tenant: 'acme' });
  });
  it('adds nothing for a user without a tenant', async () => {
    const result = await handler(event({ sub: 'u' }), lambdaContext('tenant-claim'));
    expect(result.response).toEqual({});
  });
});
