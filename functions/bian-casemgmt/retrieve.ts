import { defineHandler } from '../http/kernel.ts';
import { retrieveCase } from './case-actions.ts';
import { bianCaseMgmt } from './operations.ts';

/** GET /CustomerCaseManagement/{customercasemanagementid}/Retrieve — Retrieve a case management plan. */
export const handler = defineHandler(bianCaseMgmt.bianCaseMgmtRetrieve, (request) => retrieveCase(request, 'CustomerCaseManagementPlan'));
