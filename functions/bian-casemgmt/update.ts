import { defineHandler } from '../http/kernel.ts';
import { changeCase } from './case-actions.ts';
import { bianCaseMgmt } from './operations.ts';

/** PUT /CustomerCaseManagement/{customercasemanagementid}/Update — Update a customer case management plan. */
export const handler = defineHandler(bianCaseMgmt.bianCaseMgmtUpdate, (request) => changeCase(request, 'CustomerCaseManagementPlan', 'Update'));
