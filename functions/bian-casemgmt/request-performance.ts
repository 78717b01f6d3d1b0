import { defineHandler } from '../http/kernel.ts';
import { changeCase } from './case-actions.ts';
import { bianCaseMgmt } from './operations.ts';

/** PUT /CustomerCaseManagement/{customercasemanagementid}/Performance/{performanceid}/Request — Request an action on a performance record. */
export const handler = defineHandler(bianCaseMgmt.bianCaseMgmtRequestPerformance, (request) => changeCase(request, 'Performance', 'Request'));
