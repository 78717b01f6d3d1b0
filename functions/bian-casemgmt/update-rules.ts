import { defineHandler } from '../http/kernel.ts';
import { changeCase } from './case-actions.ts';
import { bianCaseMgmt } from './operations.ts';

/** PUT /CustomerCaseManagement/{customercasemanagementid}/Rules/{rulesid}/Update — Create or update case rules at the given id (PUT semantics; ResolutionTargets extension). */
export const handler = defineHandler(bianCaseMgmt.bianCaseMgmtUpdateRules, (request) => changeCase(request, 'Rules', 'Update'));
