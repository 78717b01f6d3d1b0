import { defineHandler } from '../http/kernel.ts';
import { retrieveCase } from './case-actions.ts';
import { bianCaseMgmt } from './operations.ts';

/** GET /CustomerCaseManagement/{customercasemanagementid}/Rules/{rulesid}/Retrieve — Retrieve case rules. */
export const handler = defineHandler(bianCaseMgmt.bianCaseMgmtRetrieveRules, (request) => retrieveCase(request, 'Rules'));
