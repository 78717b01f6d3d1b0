/**
 * What the two BIAN families (Customer Relationship Management, Customer Case Management) share:
 * the error body and responses every BIAN operation documents, and the action record that Request,
 * Grant, Capture and Control append to the record they act on.
 */
import * as z from 'zod/mini';
import type { ZodMiniType } from 'zod/mini';
import type { ResponseSpec } from '../http/operation.ts';
import type { Request } from '../http/kernel.ts';
import { timeOrderedId } from '../domain/ids.ts';

export const HTTPError = z.lazy(() => z.object({ status_code: z.string(), status: z.string(), message: z.string() }));

const bianError = (description: string) => ({ description, schema: HTTPError });

/**
 * The responses a BIAN operation documents: 200 with `schema`, HTTPError otherwise (409 where a
 * state can refuse it, 412 where a change of an existing record honours `If-Match`).
 */
export const bianResponses = (
  schema: ZodMiniType,
  { conflicts = false, changes = false }: { conflicts?: boolean; changes?: boolean } = {},
): Record<number, ResponseSpec> => {
  const responses: Record<number, ResponseSpec> = {
    200: { description: 'OK', schema, headers: { ETag: 'string' } },
    400: bianError('BadRequest'),
    401: bianError('Unauthorized'),
    403: bianError('Forbidden'),
    404: bianError('NotFound'),
  };
  if (conflicts) responses[409] = bianError('Conflict');
  if (changes) responses[412] = bianError('PreconditionFailed');
  return responses;
};

/** A Request, Grant, Capture or Control as recorded on the record it acted on. */
export const actionRecord = (action: string, request: Request<unknown>, details: Record<string, unknown>) => ({
  ActionTaskReference: timeOrderedId(),
  ActionType: action,
  ActionDateTime: new Date().toISOString(),
  ActionInvolvedParty: request.caller.sub,
  ActionDetails: details,
});
