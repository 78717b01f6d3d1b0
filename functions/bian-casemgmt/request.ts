import { defineHandler } from '../http/kernel.ts';
import { changeCase } from './case-actions.ts';
import { bianCaseMgmt } from './operations.ts';

/** PUT /CustomerCaseManagement/{customercasemanagementid}/Request — Request an action on a case management plan. */
export const handler = defineHandler(bianCaseMgmt.bianCaseMgmtRequest, (request) => changeCase(request, 'CustomerCaseManagementPlan', 'Request'));
