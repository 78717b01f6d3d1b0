import { defineHandler } from '../http/kernel.ts';
import { changeCase } from './case-actions.ts';
import { bianCaseMgmt } from './operations.ts';

/** PUT /CustomerCaseManagement/{customercasemanagementid}/Rules/{rulesid}/Request — Request an action on case rules. */
export const handler = defineHandler(bianCaseMgmt.bianCaseMgmtRequestRules, (request) => changeCase(request, 'Rules', 'Request'));
