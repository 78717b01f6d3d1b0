import { defineHandler } from '../http/kernel.ts';
import { changeCase } from './case-actions.ts';
import { bianCaseMgmt } from './operations.ts';

/** PUT /CustomerCaseManagement/{customercasemanagementid}/Performance/{performanceid}/Update — Create or update a performance record at the given id (PUT semantics). */
export const handler = defineHandler(bianCaseMgmt.bianCaseMgmtUpdatePerformance, (request) => changeCase(request, 'Performance', 'Update'));
