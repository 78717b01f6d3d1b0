import { defineHandler } from '../http/kernel.ts';
import { access } from './operations.ts';

/** GET /api/v1/access/me — what the caller may see and change, as the authorizer decided it, and their rate limits. */
export const handler = defineHandler(access.getMyAccess, async (request) => ({
  status: 200,
  body: { ...request.caller.access, ...(request.caller.rateLimits ? { rateLimits: request.caller.rateLimits } : {}) },
}));
