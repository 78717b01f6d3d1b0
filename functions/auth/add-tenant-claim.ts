import middy from '@middy/core';
import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { instrumentation } from '../observability.ts';

/**
 * Cognito pre-token-generation trigger (event version 2), used only when the stack creates its own
 * user pool: copies the user's immutable `custom:tenant` attribute into the access token as the
 * `tenant` claim the handlers read. A user without a tenant gets no claim, and every API call of
 * theirs is refused with 403.
 */
const addTenantClaim = async (event: PreTokenGenerationV2TriggerEvent): Promise<PreTokenGenerationV2TriggerEvent> => {
  const tenant = event.request.userAttributes['custom:tenant'];
  if (tenant) {
    event.response = {
      claimsAndScopeOverrideDetails: {
        accessTokenGeneration: { claimsToAddOrOverride: { tenant } },
        idTokenGeneration: { claimsToAddOrOverride: { tenant } },
      },
    };
  }
  return event;
};

export const handler = middy(addTenantClaim).use(instrumentation());
